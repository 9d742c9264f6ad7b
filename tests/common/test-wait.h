/* test-wait.h: running the default main loop until something happens. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gboolean (*TestCondition) (gconstpointer data);

/* Runs the default main context until @condition holds or @timeout_ms
 * pass (ten times longer under valgrind); returns whether it held.  The
 * condition is checked at least every 20 ms, so it may poll the mock. */
gboolean test_wait_until (TestCondition condition, gconstpointer data,
                          guint timeout_ms);
/* Runs the default main context for exactly @ms, also under valgrind: for
 * things that must keep happening within that time. */
void test_run_for (guint ms);

G_END_DECLS
