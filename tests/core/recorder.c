/* recorder.c: a listener of the core that writes down what it is told, for
 * the tests that drive the core against the mock server. */
#include <string.h>

#include "recorder.h"
#include "test-wait.h"

gboolean events_before_201 = FALSE;

void
recorder_test_init (int    *argc,
                    char ***argv)
{
  g_test_init (argc, argv, NULL);
  for (int i = 1; i < *argc; i++)
    if (g_strcmp0 ((*argv)[i], "--events-before-201") == 0)
      events_before_201 = TRUE;
}

gboolean
alice_has_no_application (gconstpointer mock)
{
  return mock_server_count_applications ((MockServer *) mock, "alice@example.test") == 0;
}


void
record (Recorder   *recorder,
        const char *kind,
        const char *peer,
        const char *text)
{
  g_ptr_array_add (recorder->log, g_strdup_printf ("%s|%s|%s", kind, peer ? peer : "",
                                                   text ? text : ""));
}

static void
on_connected (UcwaClient *client, gpointer user_data)
{
  Recorder *recorder = user_data;

  recorder->connected = TRUE;
  record (recorder, "connected", NULL, NULL);
}

static void
on_disconnected (UcwaClient *client, const GError *error, gpointer user_data)
{
  Recorder *recorder = user_data;

  g_assert_null (recorder->disconnect);
  recorder->disconnect = g_error_copy (error);
  record (recorder, "disconnected", NULL, error->message);
}

static void
on_contact (UcwaClient *client, const char *address, const char *name, gpointer user_data)
{
  record (user_data, "contact", address, name);
}

static void
on_presence (UcwaClient *client, const char *address, const char *availability,
             gpointer user_data)
{
  record (user_data, "presence", address, availability);
}

static void
on_im_received (UcwaClient *client, const char *peer, const char *name, const char *text,
                gint64 timestamp, gpointer user_data)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpint (timestamp, >, 0);
  record (user_data, "received", peer, text);
}

static void
on_im_sent (UcwaClient *client, const char *peer, const char *text, gpointer user_data)
{
  record (user_data, "sent", peer, text);
}

static void
on_im_failed (UcwaClient *client, const char *peer, const char *text, const GError *error,
              gpointer user_data)
{
  g_assert_error (error, UCWA_ERROR, error->code);
  g_assert_cmpstr (error->message, !=, "");
  record (user_data, "failed", peer, text);
}

static void
on_typing (UcwaClient *client, const char *peer, gboolean typing, gpointer user_data)
{
  record (user_data, typing ? "typing" : "typing-stopped", peer, NULL);
}

static void
on_ended (UcwaClient *client, const char *peer, gpointer user_data)
{
  record (user_data, "ended", peer, NULL);
}

const UcwaListener recorder_listener = {
  .connected = on_connected,
  .disconnected = on_disconnected,
  .contact_added = on_contact,
  .contact_presence = on_presence,
  .im_received = on_im_received,
  .im_sent = on_im_sent,
  .im_failed = on_im_failed,
  .typing_changed = on_typing,
  .conversation_ended = on_ended,
};

Recorder *
recorder_new_full (const char *address,
                   const char *password,
                   const char *discovery_url,
                   guint       keepalive_ms,
                   guint       request_timeout_s)
{
  Recorder *recorder = g_new0 (Recorder, 1);
  UcwaClientConfig config = {
    .address = address,
    .password = password,
    .discovery_url = discovery_url,
    .operation_timeout_ms = 8000,
    .keepalive_interval_ms = keepalive_ms,
    .request_timeout_s = request_timeout_s,
  };

  recorder->log = g_ptr_array_new_with_free_func (g_free);
  recorder->client = ucwa_client_new (&config, &recorder_listener, recorder);
  ucwa_client_connect (recorder->client);
  return recorder;
}

Recorder *
recorder_new (const char *address,
              const char *password,
              const char *discovery_url)
{
  return recorder_new_full (address, password, discovery_url, 0, 0);
}

void
recorder_free (Recorder *recorder)
{
  if (recorder->client != NULL)
    ucwa_client_shutdown (recorder->client);
  g_ptr_array_unref (recorder->log);
  g_clear_error (&recorder->disconnect);
  g_free (recorder);
}


typedef struct {
  Recorder   *recorder;
  const char *line;
  guint       count;
} LogWait;

guint
count_lines (Recorder   *recorder,
             const char *line)
{
  guint n = 0;

  for (guint i = 0; i < recorder->log->len; i++)
    if (g_strcmp0 (recorder->log->pdata[i], line) == 0)
      n++;
  return n;
}

static gboolean
log_has (gconstpointer data)
{
  const LogWait *wait = data;

  return count_lines (wait->recorder, wait->line) >= wait->count;
}

/* Waits until @line was recorded @count times; fails the test otherwise. */
void
expect_n (Recorder   *recorder,
          guint       count,
          const char *kind,
          const char *peer,
          const char *text)
{
  g_autofree char *line = g_strdup_printf ("%s|%s|%s", kind, peer ? peer : "",
                                           text ? text : "");
  LogWait wait = { recorder, line, count };

  if (!test_wait_until (log_has, &wait, WAIT_MS))
    {
      for (guint i = 0; i < recorder->log->len; i++)
        g_printerr ("  recorded: %s\n", (char *) recorder->log->pdata[i]);
      g_error ("never recorded %u x \"%s\"", count, line);
    }
}

void
expect (Recorder   *recorder,
        const char *kind,
        const char *peer,
        const char *text)
{
  expect_n (recorder, 1, kind, peer, text);
}

gint
index_of (Recorder   *recorder,
          const char *kind,
          const char *peer,
          const char *text)
{
  g_autofree char *line = g_strdup_printf ("%s|%s|%s", kind, peer, text);

  for (guint i = 0; i < recorder->log->len; i++)
    if (g_strcmp0 (recorder->log->pdata[i], line) == 0)
      return i;
  return -1;
}

gboolean
is_disconnected (gconstpointer data)
{
  return ((const Recorder *) data)->disconnect != NULL;
}

/* Starts the mock with @extra options (may be NULL) and the ordering under test. */
MockServer *
start_mock_with (const char *extra)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;

  g_strv_builder_add_many (builder, "--typing-timeout", "1", NULL);
  if (events_before_201)
    g_strv_builder_add (builder, "--events-before-201");
  if (extra != NULL)
    {
      g_auto(GStrv) words = g_strsplit (extra, " ", -1);
      g_strv_builder_addv (builder, (const char **) words);
    }
  args = g_strv_builder_end (builder);
  return mock_server_start_with_args ((const char *const *) args);
}

MockServer *
start_mock (void)
{
  return start_mock_with (NULL);
}

Recorder *
sign_in (MockServer *mock,
         const char *address,
         const char *password)
{
  Recorder *recorder = recorder_new (address, password,
                                     mock_server_get_root_url (mock));

  expect (recorder, "connected", NULL, NULL);
  g_assert_null (recorder->disconnect);
  g_assert_cmpint (ucwa_client_get_state (recorder->client), ==, UCWA_CLIENT_CONNECTED);
  return recorder;
}

