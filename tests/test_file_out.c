/*
 * test_file_out.c: output files written whole or not at all
 * (src/util/file_out.h): a good write replaces the file; a failing writer
 * leaves the old file and no temporary file; an unwritable place is an
 * error naming the path; data writes; special files written into, never
 * replaced; symbolic links kept; standard output for "-".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/file_out.h"

static int write_text(FILE *out, void *ctx, char *why, size_t whylen)
{
    (void)why;
    (void)whylen;
    fputs(ctx, out);
    return 0;
}

/* Writes half, then fails with ctx as its reason (none when NULL). */
static int write_fails(FILE *out, void *ctx, char *why, size_t whylen)
{
    fputs("half", out);
    if (ctx)
        snprintf(why, whylen, "%s", (const char *)ctx);
    return -1;
}

static void read_back(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    buf[0] = '\0';
    assert_non_null(fgets(buf, (int)size, f));
    fclose(f);
}

static size_t files_in(const char *dir)
{
    glob_t g;
    char pattern[160];
    snprintf(pattern, sizeof(pattern), "%s/*", dir);
    if (glob(pattern, 0, NULL, &g) != 0)
        return 0;
    size_t n = g.gl_pathc;
    globfree(&g);
    return n;
}

static void test_file_out_whole_or_nothing(void **state)
{
    (void)state;
    char dir[] = "/tmp/quorate-test-file-out.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], err[256], got[32];
    snprintf(path, sizeof(path), "%s/out.txt", dir);

    assert_int_equal(qr_file_write(path, write_text, "first", err, sizeof(err)), 0);
    read_back(path, got, sizeof(got));
    assert_string_equal(got, "first");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    mode_t mask = umask(0);
    umask(mask);
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask); /* as open(2) */

    /* A failing writer: the old content stays, no temporary file is left. */
    err[0] = '\0';
    assert_int_equal(qr_file_write(path, write_fails, NULL, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "cannot write"));
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "out of memory")); /* no reason given */
    assert_int_equal(qr_file_write(path, write_fails, "igraph said no", err, sizeof(err)), -1);
    char want[200];
    snprintf(want, sizeof(want), "cannot write '%s': igraph said no", path);
    assert_string_equal(err, want);
    read_back(path, got, sizeof(got));
    assert_string_equal(got, "first");
    assert_int_equal(files_in(dir), 1);

    /* Data replaces it whole. */
    assert_int_equal(qr_file_write_data(path, "second\n", 7, err, sizeof(err)), 0);
    read_back(path, got, sizeof(got));
    assert_string_equal(got, "second\n");
    assert_int_equal(files_in(dir), 1);

    /* A directory as the target: the rename fails, nothing is left. */
    assert_int_equal(qr_file_write(dir, write_text, "x", err, sizeof(err)), -1);
    assert_non_null(strstr(err, dir));
    assert_int_equal(files_in(dir), 1);

    /* An unwritable place. */
    assert_int_equal(qr_file_write("/nonexistent-dir/x.txt", write_text, "x", err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "/nonexistent-dir/x.txt"));

    unlink(path);
    assert_int_equal(rmdir(dir), 0);
}

/* Special files are written into, never replaced: /dev/null stays a
 * character device. A symbolic link stays a link; its target gets the new
 * content. */
static void test_file_out_special_files_and_links(void **state)
{
    (void)state;
    char err[256];
    struct stat st;
    assert_int_equal(qr_file_write("/dev/null", write_text, "gone", err, sizeof(err)), 0);
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));

    char dir[] = "/tmp/quorate-test-file-out.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char target[128], link[128], got[32];
    snprintf(target, sizeof(target), "%s/target.txt", dir);
    snprintf(link, sizeof(link), "%s/link.txt", dir);
    assert_int_equal(qr_file_write(target, write_text, "old", err, sizeof(err)), 0);
    assert_int_equal(symlink(target, link), 0);
    assert_int_equal(qr_file_write(link, write_text, "new", err, sizeof(err)), 0);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    read_back(target, got, sizeof(got));
    assert_string_equal(got, "new");
    assert_int_equal(files_in(dir), 2);
    unlink(link);
    unlink(target);
    assert_int_equal(rmdir(dir), 0);
}

static bool is_link(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

/* Issue 13, finding 5: a file replaced keeps its permissions (0600 stays
 * 0600); a new one gets 0666 less the umask; a dangling symbolic link, or a
 * chain of them, stays a link and the file it names is made (relative
 * links resolved against their own directory); a loop is an error that
 * touches nothing (docs/cli.md: "a symbolic link keeps pointing where it
 * did"). */
static void test_file_out_modes_and_dangling_links(void **state)
{
    (void)state;
    char dir[] = "/tmp/quorate-test-file-out.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[160], err[256], got[32], a[160], b[160], target[160];
    struct stat st;
    snprintf(path, sizeof(path), "%s/private.txt", dir);
    static const mode_t modes[] = { 0600, 0640, 0444 };
    for (size_t k = 0; k < sizeof(modes) / sizeof(modes[0]); k++) {
        unlink(path);
        assert_int_equal(qr_file_write(path, write_text, "old", err, sizeof(err)), 0);
        assert_int_equal(chmod(path, modes[k]), 0);
        assert_int_equal(qr_file_write(path, write_text, "new", err, sizeof(err)), 0);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, modes[k]);
        read_back(path, got, sizeof(got));
        assert_string_equal(got, "new");
    }
    unlink(path);
    mode_t old_mask = umask(077);
    assert_int_equal(qr_file_write(path, write_text, "new", err, sizeof(err)), 0);
    umask(old_mask);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    unlink(path);

    /* A dangling relative link, through a second link: both stay links,
     * the file is made where the chain ends. */
    snprintf(a, sizeof(a), "%s/a.html", dir);
    snprintf(b, sizeof(b), "%s/b.html", dir);
    snprintf(target, sizeof(target), "%s/made.html", dir);
    assert_int_equal(symlink("made.html", b), 0);
    assert_int_equal(symlink(b, a), 0);
    assert_int_equal(qr_file_write(a, write_text, "through", err, sizeof(err)), 0);
    assert_true(is_link(a) && is_link(b));
    read_back(target, got, sizeof(got));
    assert_string_equal(got, "through");
    assert_int_equal(files_in(dir), 3);
    unlink(a);
    unlink(b);
    unlink(target);

    /* A link into a directory that does not exist: an error, the link as
     * it was. */
    assert_int_equal(symlink("no-such-dir/x.html", a), 0);
    assert_int_equal(qr_file_write(a, write_text, "x", err, sizeof(err)), -1);
    assert_non_null(strstr(err, a));
    assert_true(is_link(a));
    unlink(a);

    /* Loops: a -> b -> a, and a -> a. */
    assert_int_equal(symlink(b, a), 0);
    assert_int_equal(symlink(a, b), 0);
    assert_int_equal(qr_file_write(a, write_text, "x", err, sizeof(err)), -1);
    char want[300];
    snprintf(want, sizeof(want), "cannot write '%s': %s", a, strerror(ELOOP));
    assert_string_equal(err, want);
    assert_true(is_link(a) && is_link(b));
    assert_int_equal(files_in(dir), 2);
    unlink(a);
    unlink(b);
    assert_int_equal(symlink("a.html", a), 0);
    assert_int_equal(qr_file_write(a, write_text, "x", err, sizeof(err)), -1);
    assert_true(is_link(a));
    unlink(a);
    assert_int_equal(rmdir(dir), 0);
}

/* Writes ctx's text, then sends the process the signal in sig_to_send
 * (finding 4 of issue 13: a signal while the temporary file exists). */
static int sig_to_send;

static int write_then_signal(FILE *out, void *ctx, char *why, size_t whylen)
{
    (void)why;
    (void)whylen;
    for (int i = 0; i < 1000; i++)
        fputs(ctx, out); /* past stdio's buffer: the file is not empty */
    fflush(out);
    kill(getpid(), sig_to_send);
    return 0;
}

/* Issue 13, finding 4: SIGINT, SIGTERM, SIGHUP, SIGQUIT or SIGPIPE while a
 * page is written end the process as the signal would (killed by it), and
 * remove the temporary file: the directory holds only the old file, with
 * its old content. Each write runs in a child process. A signal the process
 * ignores stays ignored, and the handlers are gone after the write. */
static void test_file_out_signal_removes_temporary(void **state)
{
    (void)state;
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
    char dir[] = "/tmp/quorate-test-file-out.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], err[256], got[32];
    snprintf(path, sizeof(path), "%s/r.html", dir);
    assert_int_equal(qr_file_write(path, write_text, "old", err, sizeof(err)), 0);
    for (size_t k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++) {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            sig_to_send = sigs[k];
            qr_file_write(path, write_then_signal, "new page ", err, sizeof(err));
            _exit(0); /* not reached: the signal ends the child */
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), sigs[k]);
        if (files_in(dir) != 1)
            fail_msg("signal %d left %zu files in %s", sigs[k], files_in(dir), dir);
        read_back(path, got, sizeof(got));
        assert_string_equal(got, "old");
    }
    /* Ignored: the write goes on and completes. */
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGHUP, SIG_IGN);
        sig_to_send = SIGHUP;
        int rc = qr_file_write(path, write_then_signal, "x", err, sizeof(err));
        struct sigaction now;
        sigaction(SIGTERM, NULL, &now);
        _exit(rc == 0 && now.sa_handler == SIG_DFL ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(files_in(dir), 1);
    read_back(path, got, sizeof(got));
    assert_int_equal(got[0], 'x');
    unlink(path);
    assert_int_equal(rmdir(dir), 0);
}

/* "-" and NULL write to standard output (captured through a pipe). */
static void test_file_out_stdout(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fds[1], STDOUT_FILENO) >= 0);
    char err[128];
    int a = qr_file_write("-", write_text, "to stdout ", err, sizeof(err));
    int b = qr_file_write(NULL, write_text, "again", err, sizeof(err));
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    close(fds[1]);
    char got[64] = "";
    ssize_t n = read(fds[0], got, sizeof(got) - 1);
    close(fds[0]);
    assert_int_equal(a, 0);
    assert_int_equal(b, 0);
    assert_true(n > 0);
    got[n] = '\0';
    assert_string_equal(got, "to stdout again");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_out_whole_or_nothing),
        cmocka_unit_test(test_file_out_special_files_and_links),
        cmocka_unit_test(test_file_out_stdout),
        cmocka_unit_test(test_file_out_signal_removes_temporary),
        cmocka_unit_test(test_file_out_modes_and_dangling_links),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
