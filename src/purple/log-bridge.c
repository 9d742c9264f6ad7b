/* log-bridge.c: the core logs with GLib in domain "ucwa"; show that in
 * purple's debug window rather than on stderr (which Finch draws over). */
#include "config.h"

#include "ucwa-purple.h"

static guint ucwa_purple_log_handler_id;

static void
ucwa_purple_log_to_debug (const gchar *domain, GLogLevelFlags level,
                          const gchar *message, gpointer user_data)
{
  PurpleDebugLevel purple_level;

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    purple_level = PURPLE_DEBUG_ERROR;
  else if (level & G_LOG_LEVEL_WARNING)
    purple_level = PURPLE_DEBUG_WARNING;
  else if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
    purple_level = PURPLE_DEBUG_INFO;
  else
    purple_level = PURPLE_DEBUG_MISC;

  purple_debug (purple_level, UCWA_PURPLE_DEBUG_CATEGORY, "%s: %s\n", domain,
                message);
}

void
ucwa_purple_log_bridge_install (void)
{
  if (ucwa_purple_log_handler_id != 0)
    return;
  /* g_log_set_writer_func is process-wide and set-once; a handler for our
   * own domain touches nobody else's messages and can be removed. */
  ucwa_purple_log_handler_id = g_log_set_handler ("ucwa",
      G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
      ucwa_purple_log_to_debug, NULL);
}

void
ucwa_purple_log_bridge_remove (void)
{
  if (ucwa_purple_log_handler_id == 0)
    return;
  g_log_remove_handler ("ucwa", ucwa_purple_log_handler_id);
  ucwa_purple_log_handler_id = 0;
}
