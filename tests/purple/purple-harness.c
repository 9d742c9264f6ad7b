/* purple-harness.c: libpurple without a UI, as Pidgin and Finch set it up:
 * a GLib event loop, a throwaway user dir, the built plugin on the search
 * path, and signal handlers that record what happens. */
#include "purple-harness.h"

#include <glib/gstdio.h>
#include <string.h>

HarnessRecorder harness;

static char *harness_user_dir;

/* ---- event loop: libpurple's timers and fds on the GLib main loop ---- */

typedef struct {
  PurpleInputFunction function;
  gpointer data;
} HarnessInput;

static gboolean
harness_input_dispatch (GIOChannel *channel, GIOCondition condition,
                        gpointer user_data)
{
  HarnessInput *input = user_data;
  int purple_condition = 0;

  if (condition & (G_IO_IN | G_IO_PRI | G_IO_HUP | G_IO_ERR))
    purple_condition |= PURPLE_INPUT_READ;
  if (condition & (G_IO_OUT | G_IO_HUP | G_IO_ERR | G_IO_NVAL))
    purple_condition |= PURPLE_INPUT_WRITE;
  input->function (input->data, g_io_channel_unix_get_fd (channel),
                   (PurpleInputCondition) purple_condition);
  return TRUE;
}

static guint
harness_input_add (int fd, PurpleInputCondition condition,
                   PurpleInputFunction function, gpointer data)
{
  HarnessInput *input = g_new0 (HarnessInput, 1);
  GIOChannel *channel = g_io_channel_unix_new (fd);
  GIOCondition watch = 0;
  guint id;

  input->function = function;
  input->data = data;
  if (condition & PURPLE_INPUT_READ)
    watch |= G_IO_IN | G_IO_HUP | G_IO_ERR | G_IO_PRI;
  if (condition & PURPLE_INPUT_WRITE)
    watch |= G_IO_OUT | G_IO_HUP | G_IO_ERR | G_IO_NVAL;
  id = g_io_add_watch_full (channel, G_PRIORITY_DEFAULT, watch,
                            harness_input_dispatch, input, g_free);
  g_io_channel_unref (channel);
  return id;
}

static PurpleEventLoopUiOps harness_eventloop_ops = {
  .timeout_add = g_timeout_add,
  .timeout_remove = g_source_remove,
  .input_add = harness_input_add,
  .input_remove = g_source_remove,
  .timeout_add_seconds = g_timeout_add_seconds,
};

/* ---- debug: record every line, echo ours to stderr for the test log ---- */

static void
harness_debug_print (PurpleDebugLevel level, const char *category,
                     const char *text)
{
  g_autofree char *line = g_strdup_printf ("%s: %s",
                                           category ? category : "-", text);

  g_strchomp (line);
  if (g_strcmp0 (category, "ucwa") == 0)
    g_printerr ("[purple] %s\n", line);
  g_ptr_array_add (harness.debug_lines, g_steal_pointer (&line));
}

static gboolean
harness_debug_is_enabled (PurpleDebugLevel level, const char *category)
{
  return TRUE;
}

static PurpleDebugUiOps harness_debug_ops = {
  .print = harness_debug_print,
  .is_enabled = harness_debug_is_enabled,
};

static void
harness_debug_ui_init (void)
{
  purple_debug_set_ui_ops (&harness_debug_ops);
}

static PurpleCoreUiOps harness_core_ops = {
  .debug_ui_init = harness_debug_ui_init,
};

/* ---- the recorder ---- */

static void
harness_message_free (gpointer data)
{
  HarnessMessage *message = data;

  g_free (message->who);
  g_free (message->message);
  g_free (message);
}

static void
harness_record (GPtrArray *into, const char *who, const char *message,
                PurpleMessageFlags flags)
{
  HarnessMessage *record = g_new0 (HarnessMessage, 1);

  record->who = g_strdup (who);
  record->message = g_strdup (message);
  record->flags = flags;
  g_ptr_array_add (into, record);
}

static void
harness_on_signed_on (PurpleConnection *gc, gpointer unused)
{
  if (purple_connection_get_account (gc) == harness.account)
    harness.signed_on++;
}

static void
harness_on_signed_off (PurpleConnection *gc, gpointer unused)
{
  if (purple_connection_get_account (gc) == harness.account)
    harness.signed_off++;
}

static void
harness_on_connection_error (PurpleConnection *gc, PurpleConnectionError reason,
                             const char *text, gpointer unused)
{
  if (purple_connection_get_account (gc) != harness.account)
    return;
  harness.connection_errors++;
  harness.error_reason = reason;
  g_free (harness.error_text);
  harness.error_text = g_strdup (text);
  g_test_message ("connection error %d: %s", reason, text);
}

static void
harness_on_received_im (PurpleAccount *account, const char *who,
                        const char *message, PurpleConversation *conv,
                        PurpleMessageFlags flags, gpointer unused)
{
  if (account == harness.account)
    harness_record (harness.received, who, message, flags);
}

static void
harness_on_wrote_im (PurpleAccount *account, const char *who,
                     const char *message, PurpleConversation *conv,
                     PurpleMessageFlags flags, gpointer unused)
{
  if (account == harness.account)
    harness_record (harness.written, who, message, flags);
}

static void
harness_recorder_reset (void)
{
  harness.account = NULL;
  harness.signed_on = 0;
  harness.signed_off = 0;
  harness.connection_errors = 0;
  harness.error_reason = PURPLE_CONNECTION_ERROR_OTHER_ERROR;
  g_clear_pointer (&harness.error_text, g_free);
  g_ptr_array_set_size (harness.received, 0);
  g_ptr_array_set_size (harness.written, 0);
  g_ptr_array_set_size (harness.debug_lines, 0);
}

static void
harness_connect_signals (void)
{
  static int handle;
  void *connections = purple_connections_get_handle ();
  void *conversations = purple_conversations_get_handle ();

  purple_signal_connect (connections, "signed-on", &handle,
                         PURPLE_CALLBACK (harness_on_signed_on), NULL);
  purple_signal_connect (connections, "signed-off", &handle,
                         PURPLE_CALLBACK (harness_on_signed_off), NULL);
  purple_signal_connect (connections, "connection-error", &handle,
                         PURPLE_CALLBACK (harness_on_connection_error), NULL);
  purple_signal_connect (conversations, "received-im-msg", &handle,
                         PURPLE_CALLBACK (harness_on_received_im), NULL);
  purple_signal_connect (conversations, "wrote-im-msg", &handle,
                         PURPLE_CALLBACK (harness_on_wrote_im), NULL);
}

/* ---- set-up and tear-down ---- */

void
harness_init (void)
{
  const char *plugin_dir = g_getenv ("UCWA_PLUGIN_DIR");
  g_autoptr (GError) error = NULL;

  if (plugin_dir == NULL || *plugin_dir == '\0')
    g_error ("UCWA_PLUGIN_DIR is not set");

  harness.received = g_ptr_array_new_with_free_func (harness_message_free);
  harness.written = g_ptr_array_new_with_free_func (harness_message_free);
  harness.debug_lines = g_ptr_array_new_with_free_func (g_free);

  harness_user_dir = g_dir_make_tmp ("purple-ucwa-test-XXXXXX", &error);
  g_assert_no_error (error);
  purple_util_set_user_dir (harness_user_dir);

  purple_core_set_ui_ops (&harness_core_ops);
  purple_eventloop_set_ui_ops (&harness_eventloop_ops);
  purple_plugins_add_search_path (plugin_dir);
  if (!purple_core_init (HARNESS_UI_ID))
    g_error ("libpurple failed to initialise");
  purple_set_blist (purple_blist_new ());
  purple_blist_load ();

  if (purple_find_prpl ("prpl-ucwa") == NULL)
    g_error ("prpl-ucwa was not found in %s", plugin_dir);
  harness_connect_signals ();
}

static void
harness_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR)
      && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          harness_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
harness_shutdown (void)
{
  harness_account_remove ();
  purple_core_quit ();
  harness_iterate_pending ();
  harness_remove_tree (harness_user_dir);
  g_clear_pointer (&harness_user_dir, g_free);
  harness_recorder_reset ();
  g_clear_pointer (&harness.received, g_ptr_array_unref);
  g_clear_pointer (&harness.written, g_ptr_array_unref);
  g_clear_pointer (&harness.debug_lines, g_ptr_array_unref);
}

PurpleAccount *
harness_account_new (const char *username, const char *password,
                     const char *server)
{
  PurpleAccount *account;

  harness_account_remove ();
  harness_recorder_reset ();

  account = purple_account_new (username, "prpl-ucwa");
  purple_account_set_password (account, password);
  if (server != NULL)
    purple_account_set_string (account, "server", server);
  /* Otherwise purple forgets the password on the first disconnect. */
  purple_account_set_remember_password (account, TRUE);
  purple_accounts_add (account);
  harness.account = account;
  purple_account_set_enabled (account, HARNESS_UI_ID, TRUE);
  return account;
}

void
harness_account_remove (void)
{
  PurpleAccount *account = harness.account;

  if (account == NULL)
    return;
  purple_account_set_enabled (account, HARNESS_UI_ID, FALSE);
  harness_iterate_pending ();
  harness.account = NULL;
  purple_accounts_delete (account);
  harness_iterate_pending ();
}

/* ---- conditions and records ---- */

void
harness_iterate_pending (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

gboolean
harness_is_signed_on (gconstpointer unused)
{
  return harness.account != NULL
         && purple_account_is_connected (harness.account);
}

gboolean
harness_has_connection_error (gconstpointer unused)
{
  return harness.connection_errors > 0;
}

gboolean
harness_has_received (gconstpointer data)
{
  return harness.received->len >= *(const guint *) data;
}

gboolean
harness_debug_contains (gconstpointer data)
{
  for (guint i = 0; i < harness.debug_lines->len; i++)
    if (strstr (g_ptr_array_index (harness.debug_lines, i), data) != NULL)
      return TRUE;
  return FALSE;
}

const HarnessMessage *
harness_received (guint index)
{
  return index < harness.received->len
             ? g_ptr_array_index (harness.received, index) : NULL;
}

const HarnessMessage *
harness_find_written (PurpleMessageFlags flags, const char *needle)
{
  for (guint i = 0; i < harness.written->len; i++)
    {
      const HarnessMessage *line = g_ptr_array_index (harness.written, i);

      if ((line->flags & flags) == flags
          && strstr (line->message, needle) != NULL)
        return line;
    }
  return NULL;
}

void
harness_send_typed (const char *peer, const char *typed)
{
  PurpleConversation *conv;
  g_autofree char *markup = purple_markup_escape_text (typed, -1);

  conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, peer,
                                                harness.account);
  if (conv == NULL)
    conv = purple_conversation_new (PURPLE_CONV_TYPE_IM, harness.account, peer);
  purple_conv_im_send_with_flags (PURPLE_CONV_IM (conv), markup,
                                  PURPLE_MESSAGE_SEND);
}
