/* The kouan program's subcommands. Each lives in src/cmd_<name>.c and is
 * listed once in the table in main.c. A command returns the process exit
 * status: 0 success, 2 usage or I/O error, others as the command documents. */
#ifndef KOUAN_COMMANDS_H
#define KOUAN_COMMANDS_H

int cmd_mrz(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_paxlst(int argc, char **argv);
int cmd_pnrgov(int argc, char **argv);
int cmd_emrtd(int argc, char **argv);

int cmd_screen(int argc, char **argv);
int cmd_watchlist(int argc, char **argv);

#endif
