/* replay: run real snapshot histories (an Open Terms Archive snapshots
 * repository) through the real normaliser and store, and compare the
 * changes we record with the versions Open Terms Archive recorded.
 *
 *   clausewatch replay SNAPSHOTS_REPO VERSIONS_REPO DECLARATIONS_DIR
 *       [--only "Service/Document Type"]... [--store DIR]
 *
 * Snapshots: one commit per fetch that differed, `Service/Type.html`,
 * commit time = fetch time, trailer X-source-document-location = URL.
 * Versions: `Service/Type.md`, subjects "First record of", "Record new
 * changes of" (real changes) and "Apply technical or declaration upgrade
 * on" (their own extraction changes, listed apart).  Declarations:
 * DECLARATIONS_DIR/Service.json (terms.Type.select/remove) and
 * Service.history.json (earlier declarations, each valid until validUntil).
 *
 * A text is recorded exactly when `run` would record it: it differs from
 * the stored one, and a page that lost most of its text is held back until
 * it persists (shrink.h).  Prints one table row per document with the
 * acceptance verdict: recorded <= OTA changes + 10%, and >= 90% of OTA's
 * changes recorded at the same snapshot (fetch time within 1 s).
 * Exit status: 0 every document passes, 1 some fails or is unsupported,
 * 2 bad usage or an error that stopped the replay. */
#ifndef CW_REPLAY_H
#define CW_REPLAY_H
#include "cli.h"

int cli_replay(struct cli *c, int argc, char **argv);

#endif
