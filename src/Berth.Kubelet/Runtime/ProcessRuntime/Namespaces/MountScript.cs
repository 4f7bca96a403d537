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
/// <c>rootfs</c> and <c>shadow</c> mount points, created by the agent, and <c>start-error</c>), $4 working directory,
/// then the command.
/// <list type="bullet">
/// <item>Mount points never touch the host: a missing one directly below <c>/</c> is created in a tmpfs root that
/// mirrors the host's top-level entries (directories rbound, files bound, symlinks copied), which then replaces
/// <c>/</c> (mount --move + chroot). A missing one below an existing host directory (<c>/etc/config</c>,
/// <c>/dev/termination-log</c>) is created after that directory is shadowed by an overlay whose upper layer lives in
/// a private tmpfs, with the directory's submounts rbound into it before it is moved over the directory. Writes by
/// the container to existing files below a shadowed directory stay private to it. A mount point inside another
/// mount (a volume) is created in that volume, as runtimes do. Paths with spaces are not supported.</item>
/// <item>Forks are kept few (each costs milliseconds on a busy machine): a typical container (resolv.conf and the
/// termination-log file) runs about eight <c>mount</c>/<c>mkdir</c> processes.</item>
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
        under() { case $1 in "$2"|"$2"/*) return 0 ;; esac; return 1; }
        if [ "$phase" = root ]; then
          r=$d/rootfs
          m -t tmpfs -o mode=755 berth-rootfs "$r"
          dirs= made=
          for e in /* /.[!.]*; do
            if [ -L "$e" ]; then ln -s "$(readlink "$e")" "$r$e" || fail "cannot mirror $e"
            elif [ -d "$e" ]; then dirs="$dirs $e" made="$made $r$e"
            elif [ -e "$e" ]; then : >"$r$e" && m --bind "$e" "$r$e"
            fi
          done
          mkdir $made || fail "cannot mirror the root directories"
          for e in $dirs; do m --rbind "$e" "$r$e"; done
          cd "$r" || fail "cannot enter $r"
          m --move . /
          PATH=$p
          exec {{tools.Chroot}} . /bin/sh -c "$self" berth-mounts "$self" chrooted "$d" "$wd" "$@"
        fi
        s=$d/shadow n=0 owned= kept= rootours=
        if [ "$phase" = chrooted ]; then rootours=1; fi
        ours() {
          if [ "$1" = / ]; then [ -n "$rootours" ]; return; fi
          for y in $kept; do under "$1" "$y" && return 1; done
          for y in $owned; do under "$1" "$y" && return 0; done
          return 1
        }
        shadow() {
          if [ $n = 0 ]; then m -t tmpfs -o mode=700 berth-shadow "$s"; fi
          n=$((n+1)) u=$s/$n subs=
          while read -r _ _ _ _ x _; do
            case $x in "$1"/*) ;; *) continue ;; esac
            skip=
            for y in $subs; do under "$x" "$y" && skip=1; done
            [ -z "$skip" ] && subs="$subs $x"
          done </proc/self/mountinfo
          mkdir "$u" "$u/upper" "$u/work" "$u/merged" || fail "cannot create $u"
          m -t overlay berth-overlay -o "lowerdir=$1,upperdir=$u/upper,workdir=$u/work" "$u/merged"
          for y in $subs; do m --rbind "$y" "$u/merged${y#"$1"}"; done
          m --move "$u/merged" "$1"
          owned="$owned $1" kept="$kept$subs"
        }
        ensure() {
          a=$1
          while [ ! -e "$a" ]; do a=${a%/*}; a=${a:-/}; done
          if ! ours "$a"; then
            [ "$a" != / ] || fail "cannot create the mount point $1"
            shadow "$a"
          elif [ "$a" = / ]; then
            y=${1#/}; owned="$owned /${y%%/*}"
          fi
          b=${1%/*}; b=${b:-/}
          [ -d "$b" ] || mkdir -p "$b" || fail "cannot create the mount point $1"
          if [ "$2" = d ]; then mkdir "$1"; else : >"$1"; fi || fail "cannot create the mount point $1"
        }
        while IFS='{{"\t"}}' read -r mode src dst; do
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
