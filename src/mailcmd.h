/* mailcmd: the "mail" command, an operator's view of the outgoing ledger. */
#ifndef CW_MAILCMD_H
#define CW_MAILCMD_H
#include "cli.h"

/* clausewatch mail                 unsent messages: KEY STATE TRIES RESPONSE
 * clausewatch mail --release KEY   uncertain -> pending (the next run sends
 *                                  it again, with the same Message-ID)
 * 0; 2 on bad usage, an unknown or not uncertain key, a ledger error. */
int cli_mail(struct cli *c, int argc, char **argv);

#endif
