namespace Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;

/// <summary>
/// The POSIX sh program that builds a container's mount view. The shim's child runs it through
/// <c>unshare --mount --propagation private</c>, which execs in place, and the script ends by exec'ing the container
/// command, so the PID the runtime records is still the container's main process (stop signal, cgroup, adoption and
/// the shim's <c>wait</c> are unchanged) and the namespace lives exactly as long as the container's processes.
/// </summary>
/// <remarks>
/// Arguments: $1 the script itself, $2 phase (<c>root</c>: build a new root first; <c>ns</c>: mount in place;
/// <c>chrooted</c>: second half after the root switch), $3 container state directory (holds <c>mounts</c>, the
/// <c>rootfs</c> and <c>shadow</c> mount points, and <c>start-error</c>), $4 working directory, then the command.
/// <list type="bullet">
/// <item>Mount points never touch the host: a missing one directly below <c>/</c> is created in a tmpfs root that
/// mirrors the host's top-level entries (directories rbound, files bound, symlinks copied), which then replaces
/// <c>/</c> (mount --move + chroot). A missing one below an existing host directory (<c>/etc/config</c>,
/// <c>/dev/termination-log</c>) is created after that directory is shadowed by an overlay whose upper layer lives in
/// a private tmpfs; the directory's submounts are moved back on top. Writes by the container to existing files
/// below a shadowed directory stay private to it.</item>
/// <item>Propagation is private, so nothing is visible on the host; everything goes away with the last process.</item>
/// <item>Any failure writes one line to <c>start-error</c> and exits 125 before the PID is reported, so the start
/// fails with that message (StartError).</item>
/// </list>
/// The tool paths (<see cref="MountNamespaceSupport"/>) are baked into the text.
/// </remarks>
internal static class MountScript
{
    public static string Build(MountNamespaceSupport tools) => $$"""
        self=$1 phase=$2 d=$3 wd=$4
        shift 4
        p=$PATH
        PATH=/usr/sbin:/usr/bin:/sbin:/bin
        fail() { printf '%s\n' "$*" >"$d/start-error"; exit 125; }
        m() { mount "$@" 2>"$d/mount.err" || fail "mount $*: $(cat "$d/mount.err")"; }
        if [ "$phase" = root ]; then
          r=$d/rootfs
          mkdir -p "$r" || fail "cannot create $r"
          m -t tmpfs -o mode=755 berth-rootfs "$r"
          for e in /* /.[!.]*; do
            if [ -L "$e" ]; then ln -s "$(readlink "$e")" "$r$e" || fail "cannot mirror $e"
            elif [ -d "$e" ]; then mkdir "$r$e" && m --rbind "$e" "$r$e"
            elif [ -e "$e" ]; then : >"$r$e" && m --bind "$e" "$r$e"
            fi
          done
          cd "$r" || fail "cannot enter $r"
          m --move . /
          PATH=$p
          exec {{tools.Chroot}} . /bin/sh -c "$self" berth-mounts "$self" chrooted "$d" "$wd" "$@"
        fi
        s=$d/shadow n=0 ours=" "
        if [ "$phase" = chrooted ]; then ours=" $(stat -c %d /) "; fi
        shadow() {
          if [ $n = 0 ]; then mkdir -p "$s" && m -t tmpfs -o mode=700 berth-shadow "$s"; fi
          n=$((n+1)) u=$s/$n seen= k=0
          mkdir "$u" "$u/upper" "$u/work" "$u/keep" || fail "cannot create $u"
          while read -r _ _ _ _ x _; do
            case $x in "$1"/*) ;; *) continue ;; esac
            skip=
            for y in $seen; do case $x in "$y"|"$y"/*) skip=1 ;; esac; done
            [ -n "$skip" ] && continue
            seen="$seen $x" k=$((k+1))
            if [ -d "$x" ]; then mkdir "$u/keep/$k"; else : >"$u/keep/$k"; fi
            m --rbind "$x" "$u/keep/$k"
          done </proc/self/mountinfo
          m -t overlay berth-overlay -o "lowerdir=$1,upperdir=$u/upper,workdir=$u/work" "$1"
          k=0
          for y in $seen; do k=$((k+1)); m --move "$u/keep/$k" "$y"; done
          ours="$ours$(stat -c %d "$1") "
        }
        ensure() {
          a=$1
          while [ ! -e "$a" ]; do a=${a%/*}; a=${a:-/}; done
          case $ours in
            *" $(stat -c %d "$a") "*) ;;
            *) [ "$a" != / ] || fail "cannot create the mount point $1"; shadow "$a" ;;
          esac
          if [ "$2" = d ]; then mkdir -p "$1"; else b=${1%/*}; mkdir -p "${b:-/}" && : >"$1"; fi || fail "cannot create the mount point $1"
        }
        tab=$(printf '\t')
        while IFS=$tab read -r mode src dst; do
          if [ -d "$src" ]; then kind=d; else kind=f; fi
          [ -e "$dst" ] || ensure "$dst" $kind
          m --rbind "$src" "$dst"
          if [ "$mode" = ro ]; then m -o remount,bind,ro "$dst"; fi
        done <"$d/mounts"
        cd "$wd" 2>/dev/null || fail "chdir $wd: no such file or directory"
        PATH=$p
        echo $$ >&3
        exec 3>&-
        exec "$@"
        """;
}
