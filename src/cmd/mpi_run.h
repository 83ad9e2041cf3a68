/*
 * mpi_run.h: quorate as one process ("rank") of an MPI job (mpirun -np N,
 * Slurm's srun), docs/mpi.md.
 *
 * The same binary runs alone or under an MPI launcher: MPI is started only
 * when a launcher's environment says so. Every rank runs the whole command;
 * sim_run shares each simulation's replications among the ranks
 * (qr_mpi_split, sim/split.h) so every rank holds the same results, and
 * only rank 0 is heard: the other ranks' standard output goes to
 * /dev/null, their output files are not written (qr_file_out_discard) and
 * their standard error is kept aside, shown only when that rank failed
 * and rank 0 did not. Built without MPI (no mpicc), these are stubs, and a
 * run under a launcher with more than one process stops with a message.
 */
#ifndef QR_MPI_RUN_H
#define QR_MPI_RUN_H

#include "sim/split.h"

/* First thing in main. 0: go on (alone, or as a rank of an MPI job);
 * else the exit status, after a message on standard error (built without
 * MPI under a launcher of several processes, MPI could not start). */
int qr_mpi_start(int *argc, char ***argv);

/* The ranks of this MPI job for sim_run_options.split, or NULL when this
 * process runs alone (no launcher, one process, or built without MPI). */
const sim_split *qr_mpi_split(void);

/* Last thing in main, with this process's exit status: the ranks agree on
 * the job's status (the highest of theirs), a failed rank's standard error
 * is shown when rank 0 did not fail, and MPI ends. A rank that failed and
 * whose partners do not arrive within QR_MPI_WAIT_SECONDS (they wait for
 * it inside a simulation) shows its message and aborts the whole job with
 * its status. Returns the status to exit with. */
#define QR_MPI_WAIT_SECONDS 10
int qr_mpi_finish(int status);

/* The MPI library this binary was built with, for --version ("Open MPI
 * v4.1.4"), or "none" when built without MPI. */
const char *qr_mpi_library(void);

#endif
