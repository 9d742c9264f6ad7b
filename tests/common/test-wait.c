/* test-wait.c: bounded runs of the default main loop. */
#include "test-wait.h"

#include <string.h>

/* Wakes the loop so that a condition that no source changes (state polled
 * from the mock) is checked again. */
static gboolean
test_wait_tick (gpointer unused)
{
  return G_SOURCE_CONTINUE;
}

/* Everything is about ten times slower under valgrind. */
static guint
test_wait_scale (void)
{
  const char *preload = g_getenv ("LD_PRELOAD");

  return (preload != NULL && strstr (preload, "vgpreload") != NULL) ? 10 : 1;
}

static gboolean
test_wait_run (TestCondition condition, gconstpointer data, gint64 duration_us)
{
  gint64 deadline = g_get_monotonic_time () + duration_us;
  guint tick = g_timeout_add (20, test_wait_tick, NULL);
  gboolean held;

  while (!(held = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return held;
}

gboolean
test_wait_until (TestCondition condition, gconstpointer data, guint timeout_ms)
{
  g_return_val_if_fail (condition != NULL, FALSE);
  return test_wait_run (condition, data,
                        (gint64) timeout_ms * test_wait_scale () * 1000);
}

static gboolean
test_wait_never (gconstpointer unused)
{
  return FALSE;
}

void
test_run_for (guint ms)
{
  test_wait_run (test_wait_never, NULL, (gint64) ms * 1000);
}
