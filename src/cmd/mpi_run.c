/*
 * mpi_run.c: quorate under mpirun or srun (mpi_run.h): MPI's start and
 * end, the ranks' collective operations for sim/split.h over MPI, and what
 * the ranks other than 0 do with their output.
 *
 * Compiled with Open MPI's headers and QR_HAVE_MPI=1 when the build found
 * mpicc (Makefile); else only the stub at the end. The one piece of global
 * state is `job` below: set by qr_mpi_start, read by qr_mpi_split, ended by
 * qr_mpi_finish, all from the main thread (MPI_THREAD_FUNNELED: the
 * simulation's worker threads never call MPI).
 */
#include "cmd/mpi_run.h"

#include <stdio.h>
#include <stdlib.h>

#if QR_HAVE_MPI

#include <limits.h>
#include <mpi.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/file_out.h"

static struct {
    int       active;       /* MPI_Init done, MPI_Finalize not yet       */
    int       rank, size;
    MPI_Comm  work;         /* the simulations' collectives              */
    MPI_Comm  end;          /* qr_mpi_finish's, apart from those         */
    int      *counts, *displs;
    sim_split split;
    int       stderr_fd;    /* the real standard error, ranks other than */
    FILE     *captured;     /*   0; what they wrote to it meanwhile      */
    long      ran, seen;    /* replications run here, gathered in all    */
} job = { .stderr_fd = -1 };

/* A launcher's environment: Open MPI's mpirun, PMIx (srun --mpi=pmix,
 * prterun), PMI-1/2 (srun --mpi=pmi2). */
static int launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_RANK") ||
           getenv("PMI_SIZE");
}

static int mpi_allgather(void *ctx, const void *mine, void *all, size_t len)
{
    (void)ctx;
    if (len > INT_MAX)
        return -1;
    return MPI_Allgather(mine, (int)len, MPI_BYTE, all, (int)len, MPI_BYTE, job.work) ==
                   MPI_SUCCESS
               ? 0
               : -1;
}

static int mpi_allgatherv(void *ctx, const void *mine, void *all, const size_t *lens)
{
    (void)ctx;
    size_t at = 0;
    for (int k = 0; k < job.size; k++) {
        if (lens[k] > INT_MAX || at > INT_MAX - lens[k])
            return -1;
        job.counts[k] = (int)lens[k];
        job.displs[k] = (int)at;
        at += lens[k];
    }
    return MPI_Allgatherv(mine, job.counts[job.rank], MPI_BYTE, all, job.counts, job.displs,
                          MPI_BYTE, job.work) == MPI_SUCCESS
               ? 0
               : -1;
}

static void tally(void *ctx, int mine, int all)
{
    (void)ctx;
    job.ran += mine;
    job.seen += all;
}

/* Ranks other than 0: standard output to /dev/null, standard error into a
 * temporary file, no output files. */
static void quiet_rank(void)
{
    qr_file_out_discard();
    if (!freopen("/dev/null", "w", stdout))
        fclose(stdout);
    fflush(stderr);
    job.captured = tmpfile();
    if (job.captured) {
        job.stderr_fd = dup(STDERR_FILENO);
        if (job.stderr_fd < 0 || dup2(fileno(job.captured), STDERR_FILENO) < 0) {
            fclose(job.captured);
            job.captured = NULL;
        }
    }
}

/* Put the real standard error back; with `show`, first copy onto it what
 * was written meanwhile. */
static void restore_stderr(int show)
{
    if (!job.captured)
        return;
    fflush(stderr);
    dup2(job.stderr_fd, STDERR_FILENO);
    close(job.stderr_fd);
    if (show) {
        fprintf(stderr, "quorate: MPI rank %d of %d failed:\n", job.rank, job.size);
        rewind(job.captured);
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof(buf), job.captured)) > 0)
            fwrite(buf, 1, n, stderr);
        fflush(stderr);
    }
    fclose(job.captured);
    job.captured = NULL;
}

int qr_mpi_start(int *argc, char ***argv)
{
    if (!launched())
        return 0;
    int provided;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fputs("quorate: cannot start MPI\n", stderr);
        return 2;
    }
    job.active = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &job.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &job.size);
    job.counts = calloc((size_t)job.size, sizeof(int));
    job.displs = calloc((size_t)job.size, sizeof(int));
    if (!job.counts || !job.displs || MPI_Comm_dup(MPI_COMM_WORLD, &job.work) != MPI_SUCCESS ||
        MPI_Comm_dup(MPI_COMM_WORLD, &job.end) != MPI_SUCCESS) {
        fputs("quorate: cannot start MPI: out of memory\n", stderr);
        MPI_Abort(MPI_COMM_WORLD, 2);
        return 2;
    }
    job.split = (sim_split){ job.rank, job.size, NULL, mpi_allgather, mpi_allgatherv, tally };
    if (job.rank != 0)
        quiet_rank();
    return 0;
}

const sim_split *qr_mpi_split(void)
{
    return job.active && job.size > 1 ? &job.split : NULL;
}

const char *qr_mpi_library(void)
{
    static char name[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    if (MPI_Get_library_version(name, &len) != MPI_SUCCESS)
        return "MPI";
    name[strcspn(name, ",\n")] = '\0'; /* "Open MPI v4.1.4, package: ..." */
    return name;
}

int qr_mpi_finish(int status)
{
    if (!job.active)
        return status;
    fflush(stdout);
    fflush(stderr);
    /* The job's status, and rank 0's (status >= 0 on every rank). */
    int mine[2] = { status, job.rank == 0 ? status : 0 }, all[2] = { status, 0 };
    MPI_Request req;
    MPI_Iallreduce(mine, all, 2, MPI_INT, MPI_MAX, job.end, &req);
    if (status == 0) {
        MPI_Wait(&req, MPI_STATUS_IGNORE);
    } else {
        /* The others may be waiting for this rank inside a simulation
         * (this rank failed alone, before it): then they never come. */
        int done = 0;
        struct timespec tick = { 0, 10 * 1000 * 1000 };
        for (int i = 0; i < QR_MPI_WAIT_SECONDS * 100 && !done; i++) {
            MPI_Test(&req, &done, MPI_STATUS_IGNORE);
            if (!done)
                nanosleep(&tick, NULL);
        }
        if (!done) {
            restore_stderr(1);
            MPI_Abort(MPI_COMM_WORLD, status);
            return status;
        }
    }
    restore_stderr(job.rank != 0 && status != 0 && all[1] == 0);
    const char *stats = getenv("QUORATE_MPI_STATS");
    if (stats && strcmp(stats, "1") == 0)
        fprintf(stderr, "quorate: MPI rank %d of %d ran %ld of %ld replications\n", job.rank,
                job.size, job.ran, job.seen);
    MPI_Comm_free(&job.work);
    MPI_Comm_free(&job.end);
    free(job.counts);
    free(job.displs);
    job.active = 0;
    MPI_Finalize();
    return all[0];
}

#else /* built without MPI */

/* The first of the environment variables that is set, as a number, or
 * -1. */
static long env_number(const char *const *names)
{
    for (; *names; names++) {
        const char *v = getenv(*names);
        if (v && *v)
            return strtol(v, NULL, 10);
    }
    return -1;
}

int qr_mpi_start(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const size_vars[] = { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", NULL };
    static const char *const rank_vars[] = { "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK",
                                             NULL };
    long size = env_number(size_vars);
    if (size <= 1)
        return 0;
    /* Each process would run the whole command and print it all: refuse,
     * in one voice. */
    if (env_number(rank_vars) <= 0)
        fprintf(stderr,
                "quorate: built without MPI, so the %ld processes of this MPI job would "
                "each run the whole command: run one process, or rebuild quorate with "
                "Open MPI (docs/mpi.md)\n",
                size);
    return 2;
}

const sim_split *qr_mpi_split(void)
{
    return NULL;
}

const char *qr_mpi_library(void)
{
    return "none";
}

int qr_mpi_finish(int status)
{
    return status;
}

#endif
