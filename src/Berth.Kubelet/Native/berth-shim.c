/*
 * berth-shim: the per-container supervisor of Berth's process runtime (the part conmon or containerd-shim play for
 * OCI runtimes), written in C because .NET cannot fork safely and every exec of sh/util-linux costs milliseconds.
 * It replaces the sh chain (sh -> setsid -> sh -> unshare -> sh mount script -> mount x N) with one fork.
 *
 * Usage: berth-shim DIR CGROUP WORKDIR PHASE PLAN SHADOW STDIO COMMAND [ARG...]
 *   DIR      container state directory: stdout.fifo, stderr.fifo (made by the agent), exit and start-error (written
 *            here), rootfs/ (mount point, made by the agent when the plan needs a tmpfs root), and with STDIO
 *            control.fifo plus, for "i", stdin.fifo (made by the agent).
 *   CGROUP   cgroup v2 directory the container joins, or "" (no cgroup).
 *   WORKDIR  working directory, a path in the container's view.
 *   PHASE    "" (no mount namespace), "ns" (mount in place) or "root" (build a tmpfs root mirror first).
 *   PLAN     the mounts, "ro|rw TAB source TAB target" lines (an argument rather than a file: no inode per start).
 *   SHADOW   an existing directory the shadow tmpfs is mounted on, inside the private namespace only (so one
 *            agent-wide directory serves every container: no inode per start).
 *   STDIO    "" (stdin is the shim's own, /dev/null), or letters: "i" the container's stdin is DIR/stdin.fifo, "t"
 *            its stdio is a pseudo-terminal (the container spec's stdin and tty).
 * fd 3 is the start pipe: the main PID, in decimal plus '\n', is written there just before the exec, then closed.
 * Exit status: the main process's (its code, or 128 + the signal that killed it); 125 when the shim itself failed.
 *
 * Parent: keeps both FIFOs open read-write (the app never gets EPIPE when the agent dies), forks the child, waits
 * for it, writes the status to DIR/exit, kills what is left of the cgroup and exits with that status. It stays in the
 * agent's cgroup and its own session, and installs no signal handlers (nothing for the child to inherit).
 * Child: new session (the main process leads its process group), joins the cgroup, builds the mount view (see
 * mount_view), enters WORKDIR, reports its PID and execs COMMAND with execvp (PATH from the environment). Any failure
 * before the report writes one line to DIR/start-error and exits 125, so the agent fails the start with that line.
 *
 * Attach (STDIO not empty): the parent also holds stdin.fifo read-write, so the app never reads end of file while
 * nobody is attached and the pipe survives the agent; an attach session opens it for writing. The parent then waits
 * in a poll loop (pidfd of the child) that reads DIR/control.fifo, held read-write too, one command per line:
 *   "close-stdin"        drop the hold on stdin.fifo: the app reads EOF once no attach session writes (stdinOnce).
 *   "resize COLS ROWS"   TIOCSWINSZ on the terminal (tty only).
 * With "t" the parent allocates the pseudo-terminal; the child makes its slave the controlling terminal and fds 0-2.
 * The parent copies the master's output to stdout.fifo (so the log records it) and stdin.fifo to the master; after
 * the main process ended it drains what the terminal still holds. Unknown control lines are ignored.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define PATH_BUF 4096

static int dir_fd = -1;      /* DIR, opened O_PATH before any namespace change: start-error and exit go here */
static const char *dir_path; /* DIR as given; mount targets below it resolve through the mirror after a root switch */
static const char *shadow_path; /* SHADOW as given; resolved like DIR */

/* Writes one line to DIR/start-error and exits 125. Only the child calls it, before it reports its PID. */
static void fail(const char *format, ...)
{
    char line[PATH_BUF * 2];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line - 1, format, args);
    va_end(args);
    if (n < 0) n = 0;
    if (n > (int)sizeof line - 2) n = (int)sizeof line - 2;
    line[n++] = '\n';
    int fd = openat(dir_fd, "start-error", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        (void)!write(fd, line, n);
        close(fd);
    }
    _exit(125);
}

static void join(char *out, const char *a, const char *b)
{
    if (snprintf(out, PATH_BUF, "%s%s", a, b) >= PATH_BUF) fail("path too long: %s%s", a, b);
}

/* True when path equals prefix or lies below it (the mount script's `under`). */
static int under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static int exists(const char *path) { struct stat st; return stat(path, &st) == 0; }
static int is_dir(const char *path) { struct stat st; return stat(path, &st) == 0 && S_ISDIR(st.st_mode); }

/* Cuts an absolute path to its parent directory in place ("/" for a top-level entry). */
static void to_parent(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash == path) path[1] = '\0'; else if (slash) *slash = '\0';
}

/* mount(2) that fails the start with the util-linux-style command it stands for. */
static void do_mount(const char *src, const char *dst, const char *type, unsigned long flags, const char *data,
                     const char *shown)
{
    if (mount(src, dst, type, flags, data) != 0) fail("mount %s %s: %s", shown, dst, strerror(errno));
}

static void mount_tmpfs(const char *name, const char *dst, const char *mode)
{
    char shown[PATH_BUF * 2];
    snprintf(shown, sizeof shown, "-t tmpfs -o %s %s", mode, name);
    do_mount(name, dst, "tmpfs", 0, mode, shown);
}

static void rbind(const char *src, const char *dst)
{
    char shown[PATH_BUF * 2];
    snprintf(shown, sizeof shown, "--rbind %s", src);
    do_mount(src, dst, NULL, MS_BIND | MS_REC, NULL, shown);
}

/* Read-only remount of a bind, keeping the flags the kernel would refuse to clear (nosuid, nodev, noexec, atime). */
static void remount_ro(const char *dst)
{
    struct statvfs vfs;
    unsigned long keep = 0;
    if (statvfs(dst, &vfs) == 0)
        keep = vfs.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME | ST_NODIRATIME | ST_RELATIME);
    do_mount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | keep, NULL, "-o remount,bind,ro");
}

/* mkdir -p with mode 0755; returns 0 or -1 with errno set. */
static int mkdir_p(const char *path)
{
    char buf[PATH_BUF];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* ---- root phase: a tmpfs that mirrors the host's top-level entries replaces "/" ---------------------------- */

static int visible(const struct dirent *e)
{
    return strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
}

/* Symlinks are copied, directories rbound, other entries bound onto an empty file; then DIR/rootfs becomes "/". */
static void switch_to_mirror_root(void)
{
    char root[PATH_BUF], host[PATH_BUF], copy[PATH_BUF], target[PATH_BUF];
    struct dirent **entries;
    join(root, dir_path, "/rootfs");
    mount_tmpfs("berth-rootfs", root, "mode=755");
    int count = scandir("/", &entries, visible, alphasort);
    if (count < 0) fail("cannot list /: %s", strerror(errno));
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < count; i++) {
            struct stat st;
            join(host, "/", entries[i]->d_name);
            join(copy, root, host);
            if (lstat(host, &st) != 0) continue;
            if (S_ISLNK(st.st_mode) && pass == 0) {
                ssize_t n = readlink(host, target, sizeof target - 1);
                if (n < 0 || (target[n] = '\0', symlink(target, copy) != 0)) fail("cannot mirror %s", host);
            } else if (S_ISDIR(st.st_mode) && pass == 0) {
                if (mkdir(copy, 0755) != 0) fail("cannot mirror the root directories");
            } else if (S_ISDIR(st.st_mode)) {
                rbind(host, copy);
            } else if (!S_ISLNK(st.st_mode) && pass == 0) {
                int fd = open(copy, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
                if (fd < 0) fail("cannot mirror %s", host);
                close(fd);
                do_mount(host, copy, NULL, MS_BIND, NULL, "--bind");
            }
        }
    }
    if (chdir(root) != 0) fail("cannot enter %s", root);
    do_mount(".", "/", NULL, MS_MOVE, NULL, "--move .");
    if (chroot(".") != 0 || chdir("/") != 0) fail("chroot %s: %s", root, strerror(errno));
}

/* ---- mount points: shadow an existing host directory with a private overlay before creating inside it ------- */

struct list { int n, cap; char **item; };

static struct list owned, kept; /* directories whose content is ours to create in; submounts rbound back (not ours) */
static int root_ours;           /* the root is the tmpfs mirror */
static int shadows;             /* overlays made so far, below DIR/shadow */

static void add(struct list *l, const char *path)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->item = realloc(l->item, sizeof *l->item * (size_t)l->cap);
        if (!l->item) fail("out of memory");
    }
    if (!(l->item[l->n++] = strdup(path))) fail("out of memory");
}

static int ours(const char *path)
{
    if (strcmp(path, "/") == 0) return root_ours;
    for (int i = 0; i < kept.n; i++) if (under(path, kept.item[i])) return 0;
    for (int i = 0; i < owned.n; i++) if (under(path, owned.item[i])) return 1;
    return 0;
}

/* Decodes the octal escapes (\040) of a mountinfo field in place. */
static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; w++) {
        if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] && r[3]) {
            *w = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
            r += 4;
        } else {
            *w = *r++;
        }
    }
    *w = '\0';
}

/* The outermost mount points strictly below dir, from /proc/self/mountinfo (field 5), parents before children. */
static void submounts_of(const char *dir, struct list *subs)
{
    FILE *f = fopen("/proc/self/mountinfo", "re");
    char line[PATH_BUF * 2], child[PATH_BUF];
    if (!f) fail("cannot read /proc/self/mountinfo: %s", strerror(errno));
    join(child, dir, "/");
    while (fgets(line, sizeof line, f)) {
        char *save, *field = strtok_r(line, " ", &save), *point = NULL;
        for (int i = 1; field && i < 5; i++) point = field = strtok_r(NULL, " ", &save);
        if (!point) continue;
        unescape(point);
        if (strncmp(point, child, strlen(child)) != 0) continue;
        int covered = 0;
        for (int i = 0; i < subs->n; i++) covered |= under(point, subs->item[i]);
        if (!covered) add(subs, point);
    }
    fclose(f);
}

/* Moves an overlay of dir (upper layer in the private shadow tmpfs) over dir, with dir's submounts rbound into it. */
static void shadow(const char *dir)
{
    char base[PATH_BUF], u[PATH_BUF], sub[PATH_BUF], merged[PATH_BUF], options[PATH_BUF * 3 + 64];
    struct list subs = { 0, 0, NULL };
    join(base, shadow_path, "");
    if (shadows++ == 0) mount_tmpfs("berth-shadow", base, "mode=700");
    submounts_of(dir, &subs);
    if (snprintf(u, sizeof u, "%s/%d", base, shadows) >= (int)sizeof u) fail("path too long: %s", base);
    const char *parts[] = { "", "/upper", "/work", "/merged" };
    for (int i = 0; i < 4; i++) {
        join(sub, u, parts[i]);
        if (mkdir(sub, 0755) != 0) fail("cannot create %s", u);
    }
    join(merged, u, "/merged");
    snprintf(options, sizeof options, "lowerdir=%s,upperdir=%s/upper,workdir=%s/work", dir, u, u);
    char shown[sizeof options + 64];
    snprintf(shown, sizeof shown, "-t overlay berth-overlay -o %s", options);
    do_mount("berth-overlay", merged, "overlay", 0, options, shown);
    for (int i = 0; i < subs.n; i++) {
        join(sub, merged, subs.item[i] + strlen(dir));
        rbind(subs.item[i], sub);
    }
    do_mount(merged, dir, NULL, MS_MOVE, NULL, "--move");
    add(&owned, dir);
    for (int i = 0; i < subs.n; i++) add(&kept, subs.item[i]);
}

/* Creates the missing mount point dst (a directory or an empty file) without writing to the host. */
static void ensure(const char *dst, int directory)
{
    char nearest[PATH_BUF], b[PATH_BUF];
    snprintf(nearest, sizeof nearest, "%s", dst);
    while (!exists(nearest)) to_parent(nearest);
    if (!ours(nearest)) {
        if (strcmp(nearest, "/") == 0) fail("cannot create the mount point %s", dst);
        shadow(nearest);
    } else if (strcmp(nearest, "/") == 0) {
        char top[PATH_BUF];
        snprintf(top, sizeof top, "%s", dst);
        char *slash = strchr(top + 1, '/');
        if (slash) *slash = '\0';
        add(&owned, top);
    }
    snprintf(b, sizeof b, "%s", dst);
    to_parent(b);
    if (!is_dir(b) && mkdir_p(b) != 0) fail("cannot create the mount point %s", dst);
    int fd = -1;
    if (directory ? mkdir(dst, 0755) != 0 : (fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0)
        fail("cannot create the mount point %s", dst);
    if (fd >= 0) close(fd);
}

/* A private mount namespace with the plan (PLAN, split in place) applied in order: rbind each source, remount
 * read-only for "ro". */
static void mount_view(const char *phase, char *plan)
{
    if (unshare(CLONE_NEWNS) != 0) fail("unshare(CLONE_NEWNS): %s", strerror(errno));
    do_mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL, "--make-rprivate");
    if (strcmp(phase, "root") == 0) {
        switch_to_mirror_root();
        root_ours = 1;
    }
    char *save;
    for (char *line = strtok_r(plan, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *mode = line, *src = strchr(line, '\t'), *dst = src ? strchr(src + 1, '\t') : NULL;
        if (!dst) fail("malformed mount plan line: %s", line);
        *src++ = '\0';
        *dst++ = '\0';
        if (!exists(dst)) ensure(dst, is_dir(src));
        rbind(src, dst);
        if (strcmp(mode, "ro") == 0) remount_ro(dst);
    }
}

/* ---- the two processes ---------------------------------------------------------------------------------- */

static int open_in_dir(const char *name, int flags)
{
    int fd = openat(dir_fd, name, flags | O_CLOEXEC);
    if (fd < 0) fail("cannot open %s/%s: %s", dir_path, name, strerror(errno));
    return fd;
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) fail("cannot write %s: %s", path, strerror(errno));
    close(fd);
}

/* The child's fds 0-2: the FIFOs (stdin only with "i"), or the terminal's slave as the controlling terminal. */
static void redirect_stdio(const char *stdio, const char *slave)
{
    if (slave) {
        int fd = open(slave, O_RDWR | O_CLOEXEC);
        if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) != 0) fail("cannot open the terminal %s: %s", slave, strerror(errno));
        if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) fail("cannot redirect to the terminal: %s", strerror(errno));
        return;
    }
    if (dup2(open_in_dir("stdout.fifo", O_WRONLY), 1) < 0 || dup2(open_in_dir("stderr.fifo", O_WRONLY), 2) < 0)
        fail("cannot redirect the output: %s", strerror(errno));
    /* The parent holds the FIFO read-write, so this read-only open does not wait for a writer. */
    if (strchr(stdio, 'i') && dup2(open_in_dir("stdin.fifo", O_RDONLY), 0) < 0)
        fail("cannot redirect the input: %s", strerror(errno));
}

static void run_child(const char *cgroup, const char *workdir, const char *phase, char *plan, const char *stdio,
                      const char *slave, char **argv)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (setsid() < 0) fail("setsid: %s", strerror(errno));
    redirect_stdio(stdio, slave);
    char text[32], procs[PATH_BUF];
    snprintf(text, sizeof text, "%d\n", (int)getpid());
    if (*cgroup) {
        join(procs, cgroup, "/cgroup.procs");
        write_file(procs, text);
    }
    if (*phase) mount_view(phase, plan);
    if (chdir(workdir) != 0) fail("chdir %s: no such file or directory", workdir);
    if (write(3, text, strlen(text)) < 0) fail("cannot report the PID: %s", strerror(errno));
    close(3);
    execvp(argv[0], argv);
    int error = errno;
    dprintf(2, "berth-shim: %s: %s\n", argv[0], strerror(error));
    _exit(error == ENOENT ? 127 : 126);
}

/* SIGKILLs what is left of the container: cgroup.kill (Linux 5.14+), else the members until none is left. */
static void kill_cgroup(const char *cgroup)
{
    char path[PATH_BUF];
    snprintf(path, sizeof path, "%s/cgroup.kill", cgroup);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)!write(fd, "1", 1);
        close(fd);
        return;
    }
    snprintf(path, sizeof path, "%s/cgroup.procs", cgroup);
    for (int round = 0; round < 50; round++) {
        FILE *f = fopen(path, "re");
        int pid, any = 0;
        if (!f) return;
        while (fscanf(f, "%d", &pid) == 1) any = kill(pid, SIGKILL) == 0 || any;
        fclose(f);
        if (!any) return;
    }
}

/* ---- attach: stdin hold, control commands, terminal copy (parent only) ----------------------------------- */

struct stdio_state {
    int tty;          /* the child's stdio is the terminal */
    int master;       /* terminal master, or -1 */
    int keep_in;      /* stdin.fifo read-write hold, or -1 once closed (or without "i") */
    int keep_out;     /* stdout.fifo read-write hold: terminal output goes here */
    int control;      /* control.fifo read-write hold */
    char line[256];   /* partial control line */
    size_t used;
};

static void write_all(int fd, const char *data, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, data, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        data += w;
        n -= (size_t)w;
    }
}

/* Copies what is readable on from to to; returns 0 at end of file or error, else 1. */
static int copy_once(int from, int to)
{
    char buf[65536];
    ssize_t n = read(from, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 1;
    if (n <= 0) return 0;
    write_all(to, buf, (size_t)n);
    return 1;
}

static void run_command(struct stdio_state *s, char *cmd)
{
    unsigned short cols, rows;
    if (strcmp(cmd, "close-stdin") == 0 && !s->tty && s->keep_in >= 0) {
        close(s->keep_in);
        s->keep_in = -1;
    } else if (sscanf(cmd, "resize %hu %hu", &cols, &rows) == 2 && s->master >= 0) {
        struct winsize size = { .ws_row = rows, .ws_col = cols };
        ioctl(s->master, TIOCSWINSZ, &size);
    }
}

static void read_control(struct stdio_state *s)
{
    ssize_t n = read(s->control, s->line + s->used, sizeof s->line - 1 - s->used);
    if (n <= 0) return;
    s->used += (size_t)n;
    char *start = s->line, *end;
    while ((end = memchr(start, '\n', s->used - (size_t)(start - s->line)))) {
        *end = '\0';
        run_command(s, start);
        start = end + 1;
    }
    s->used -= (size_t)(start - s->line);
    memmove(s->line, start, s->used);
    if (s->used == sizeof s->line - 1) s->used = 0; /* an overlong line is dropped */
}

/* Serves control commands and the terminal until the child exits; returns its wait status. */
static int supervise(struct stdio_state *s, pid_t child)
{
    int pidfd = (int)syscall(SYS_pidfd_open, child, 0), status = 0;
    int master_open = s->master >= 0;
    while (pidfd >= 0) {
        struct pollfd fds[4] = {
            { .fd = pidfd, .events = POLLIN }, { .fd = s->control, .events = POLLIN },
            { .fd = master_open ? s->master : -1, .events = POLLIN },
            { .fd = s->tty ? s->keep_in : -1, .events = POLLIN },
        };
        if (poll(fds, 4, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[1].revents & POLLIN) read_control(s);
        if (fds[2].revents & (POLLIN | POLLHUP | POLLERR)) master_open = copy_once(s->master, s->keep_out);
        if (fds[3].revents & POLLIN) copy_once(s->keep_in, s->master);
        if (fds[0].revents) break;
    }
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    if (master_open) {
        /* What the terminal still holds: read until empty (EAGAIN). */
        char buf[65536];
        ssize_t n;
        while ((n = read(s->master, buf, sizeof buf)) > 0) write_all(s->keep_out, buf, (size_t)n);
    }
    return status;
}

/* The terminal master (non-blocking, close-on-exec), with the slave's path in slave; the parent holds the slave
 * open too, so the master never reports hang-up (before the child opened it, or between its processes) and input
 * that does not fit the terminal is dropped instead of blocking the shim. Exits 125 through fail() on error. */
static int open_terminal(char *slave, size_t size)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, slave, size) != 0
        || open(slave, O_RDWR | O_NOCTTY | O_CLOEXEC) < 0)
        fail("cannot allocate a terminal: %s", strerror(errno));
    return master;
}

int main(int argc, char **argv)
{
    if (argc < 9) {
        fprintf(stderr, "usage: berth-shim DIR CGROUP WORKDIR PHASE PLAN SHADOW STDIO COMMAND [ARG...]\n");
        return 125;
    }
    dir_path = argv[1];
    shadow_path = argv[6];
    const char *stdio = argv[7];
    dir_fd = open(dir_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return 125;
    /* Read-write, so the pipes keep a reader (and stdin a writer) for as long as the shim lives, agent or not. */
    struct stdio_state s = { .tty = strchr(stdio, 't') != NULL, .master = -1, .keep_in = -1, .control = -1 };
    s.keep_out = openat(dir_fd, "stdout.fifo", O_RDWR | O_CLOEXEC);
    int keep_err = openat(dir_fd, "stderr.fifo", O_RDWR | O_CLOEXEC);
    char slave[128];
    if (*stdio) {
        s.control = open_in_dir("control.fifo", O_RDWR | O_NONBLOCK);
        if (strchr(stdio, 'i')) s.keep_in = open_in_dir("stdin.fifo", O_RDWR);
        if (s.tty) s.master = open_terminal(slave, sizeof slave);
    }
    pid_t child = fork();
    if (child == 0) run_child(argv[2], argv[3], argv[4], argv[5], stdio, s.tty ? slave : NULL, argv + 8);
    close(3);
    int status = 0, rc = 125;
    if (child > 0) {
        if (*stdio) {
            status = supervise(&s, child);
        } else {
            while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
        }
        rc = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    }
    char text[16];
    int fd = openat(dir_fd, "exit", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        (void)!write(fd, text, (size_t)snprintf(text, sizeof text, "%d\n", rc));
        close(fd);
    }
    if (*argv[2]) kill_cgroup(argv[2]);
    (void)keep_err;
    return rc;
}
