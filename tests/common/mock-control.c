/* mock-control.c: the mock server as a child process, and its control API. */
#include "mock-control.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#define MOCK_LISTENING_PREFIX "ucwa-mock-server listening on "
#define MOCK_ROOT_PATH "autodiscover/autodiscoverservice.svc/root"

struct _MockServer {
  GSubprocess *process;
  GInputStream *stdout_pipe;
  GCancellable *drain_cancellable;
  gboolean draining;            /* a read of stdout_pipe is in flight */
  SoupSession *control;
  char *base_url;
  char *root_url;
  char drain_buffer[4096];
};

static void mock_server_drain_next (MockServer *mock);

/* The mock keeps writing to stdout; keep reading so it never blocks on a
 * full pipe, and pass its output on to stderr for the test log. */
static void
mock_server_drain (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MockServer *mock = user_data;
  g_autoptr (GError) error = NULL;
  gssize n;

  mock->draining = FALSE;
  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n <= 0)
    return;  /* EOF, cancelled (mock stopping) or the pipe broke */
  fwrite (mock->drain_buffer, 1, n, stderr);
  mock_server_drain_next (mock);
}

static void
mock_server_drain_next (MockServer *mock)
{
  mock->draining = TRUE;
  g_input_stream_read_async (mock->stdout_pipe, mock->drain_buffer,
                             sizeof mock->drain_buffer, G_PRIORITY_DEFAULT,
                             mock->drain_cancellable, mock_server_drain, mock);
}

/* In the child: die with the test.  A test that aborts on a failed
 * assertion would otherwise leave the mock running, holding the test's
 * stderr open, and meson would wait for it until the timeout. */
static void
mock_server_child_setup (gpointer unused)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Reads the first line byte by byte: a buffered reader would swallow the
 * output that follows it. */
static char *
mock_server_read_first_line (MockServer *mock)
{
  g_autoptr (GError) error = NULL;
  GString *line = g_string_new (NULL);
  char c;

  while (g_input_stream_read (mock->stdout_pipe, &c, 1, NULL, &error) == 1
         && c != '\n')
    g_string_append_c (line, c);
  g_assert_no_error (error);
  return g_string_free (line, FALSE);
}

MockServer *
mock_server_start_with_args (const char *const *args)
{
  const char *exe = g_getenv ("UCWA_MOCK_SERVER");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  MockServer *mock;

  if (exe == NULL || *exe == '\0')
    g_error ("UCWA_MOCK_SERVER is not set");
  g_ptr_array_add (argv, (gpointer) exe);
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  for (gsize i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  mock = g_new0 (MockServer, 1);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, mock_server_child_setup,
                                         NULL, NULL);
  mock->process = g_subprocess_launcher_spawnv (
      launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  mock->stdout_pipe = g_object_ref (g_subprocess_get_stdout_pipe (mock->process));
  line = mock_server_read_first_line (mock);
  if (!g_str_has_prefix (line, MOCK_LISTENING_PREFIX))
    g_error ("unexpected first line from the mock: \"%s\"", line);

  mock->base_url = g_strdup (line + strlen (MOCK_LISTENING_PREFIX));
  g_strstrip (mock->base_url);
  g_assert_true (g_str_has_prefix (mock->base_url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (mock->base_url, "/"));
  mock->root_url = g_strconcat (mock->base_url, MOCK_ROOT_PATH, NULL);
  mock->control = soup_session_new ();
  mock->drain_cancellable = g_cancellable_new ();
  mock_server_drain_next (mock);
  /* It prints its line before it handles SIGTERM; once it answers, its
   * main loop runs, and a stop right away is a clean one. */
  json_node_unref (mock_server_get_json (mock, "/mock/v1/state"));
  g_test_message ("mock listening on %s", mock->base_url);
  return mock;
}

MockServer *
mock_server_start (void)
{
  const char *extra = g_getenv ("UCWA_MOCK_ARGS");
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);

  if (extra != NULL)
    {
      g_auto (GStrv) words = g_strsplit (extra, " ", -1);

      for (guint i = 0; words[i] != NULL; i++)
        if (*words[i] != '\0')
          g_ptr_array_add (args, g_strdup (words[i]));
    }
  g_ptr_array_add (args, NULL);
  return mock_server_start_with_args ((const char *const *) args->pdata);
}

/* Stops reading the mock's output; the read's buffer lives in @mock, so
 * its callback must have run before @mock may go. */
static void
mock_server_stop_draining (MockServer *mock)
{
  g_cancellable_cancel (mock->drain_cancellable);
  while (mock->draining)
    g_main_context_iteration (NULL, TRUE);
}

void
mock_server_kill (MockServer *mock)
{
  g_autoptr (GError) error = NULL;

  if (mock->process == NULL)
    return;
  /* The cancelled read finishes later, in mock_server_stop(). */
  g_cancellable_cancel (mock->drain_cancellable);
  g_subprocess_force_exit (mock->process);
  g_subprocess_wait (mock->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&mock->process);
}

static void
mock_server_on_exit (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

void
mock_server_stop (MockServer *mock)
{
  if (mock == NULL)
    return;
  if (mock->process != NULL)
    {
      gboolean exited = FALSE;

      /* Keep draining while it shuts down: it must not block on stdout. */
      g_subprocess_send_signal (mock->process, SIGTERM);
      g_subprocess_wait_async (mock->process, NULL, mock_server_on_exit,
                               &exited);
      while (!exited)
        g_main_context_iteration (NULL, TRUE);
      /* SIGTERM must end the mock cleanly, not kill it. */
      if (g_subprocess_get_if_signaled (mock->process))
        g_test_message ("the mock died of signal %d",
                        g_subprocess_get_term_sig (mock->process));
      g_assert_true (g_subprocess_get_if_exited (mock->process));
      g_assert_cmpint (g_subprocess_get_exit_status (mock->process), ==, 0);
      g_clear_object (&mock->process);
    }
  mock_server_stop_draining (mock);
  g_clear_object (&mock->drain_cancellable);
  g_clear_object (&mock->stdout_pipe);
  g_clear_object (&mock->control);
  g_free (mock->base_url);
  g_free (mock->root_url);
  g_free (mock);
}

const char *
mock_server_get_base_url (MockServer *mock)
{
  return mock->base_url;
}

const char *
mock_server_get_root_url (MockServer *mock)
{
  return mock->root_url;
}

/* One blocking request to the mock (fine: it is another process); a
 * transport failure fails the test. */
static GBytes *
mock_server_exchange (MockServer *mock, const char *method, const char *path,
                      const char *json, guint *status)
{
  g_autofree char *url = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GError) error = NULL;
  GBytes *reply;

  while (*path == '/')
    path++;
  url = g_strconcat (mock->base_url, path, NULL);
  msg = soup_message_new (method, url);
  if (json != NULL)
    {
      g_autoptr (GBytes) body = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  reply = soup_session_send_and_read (mock->control, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return reply;
}

guint
mock_server_post (MockServer *mock, const char *path, const char *json)
{
  guint status;
  g_autoptr (GBytes) reply G_GNUC_UNUSED = mock_server_exchange (mock, "POST", path, json,
                                                                 &status);

  return status;
}

JsonNode *
mock_server_get_json (MockServer *mock, const char *path)
{
  guint status;
  g_autoptr (GBytes) reply = mock_server_exchange (mock, "GET", path, NULL,
                                                   &status);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (reply, &size);

  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_copy (json_parser_get_root (parser));
}

char *
mock_json_object (const char *first_key, ...)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      json_builder_set_member_name (builder, key);
      if (g_strcmp0 (value, "true") == 0 || g_strcmp0 (value, "false") == 0)
        json_builder_add_boolean_value (builder, value[0] == 't');
      else
        json_builder_add_string_value (builder, value);
    }
  va_end (args);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* The array member @member of the object @root; fails the test if absent. */
static JsonArray *
mock_json_array_member (JsonNode *root, const char *member)
{
  JsonNode *node;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  node = json_object_get_member (json_node_get_object (root), member);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_node_get_array (node);
}

/* Calls @found for every logged client request that matches. */
static void
mock_server_foreach_request (MockServer *mock, const char *method,
                             const char *path_glob,
                             void (*found) (JsonObject *request, gpointer data),
                             gpointer data)
{
  g_autoptr (JsonNode) root = mock_server_get_json (mock, "/mock/v1/requests");
  JsonArray *requests = mock_json_array_member (root, "requests");
  g_autoptr (GPatternSpec) pattern = g_pattern_spec_new (path_glob);

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      const char *request_method, *path;

      g_assert_nonnull (request);
      request_method = json_object_get_string_member_with_default (request,
                                                                   "method", "");
      path = json_object_get_string_member_with_default (request, "path", "");
      /* The control API's own requests are not the client's. */
      if (g_str_has_prefix (path, "/mock/"))
        continue;
      if (method != NULL && g_strcmp0 (method, request_method) != 0)
        continue;
      if (g_pattern_spec_match_string (pattern, path))
        found (request, data);
    }
}

static void
mock_count_one (JsonObject *request, gpointer data)
{
  (*(guint *) data)++;
}

guint
mock_server_count_requests (MockServer *mock, const char *method,
                            const char *path_glob)
{
  guint count = 0;

  mock_server_foreach_request (mock, method, path_glob, mock_count_one, &count);
  return count;
}

static void
mock_collect_operation_id (JsonObject *request, gpointer data)
{
  const char *id = json_object_get_string_member_with_default (request,
                                                               "operationId",
                                                               NULL);

  g_ptr_array_add (data, g_strdup (id));
}

GPtrArray *
mock_server_get_operation_ids (MockServer *mock, const char *method,
                               const char *path_glob)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  mock_server_foreach_request (mock, method, path_glob,
                               mock_collect_operation_id, ids);
  return ids;
}

guint
mock_server_count_applications (MockServer *mock, const char *user)
{
  g_autoptr (JsonNode) root = mock_server_get_json (mock, "/mock/v1/state");
  JsonArray *users = mock_json_array_member (root, "users");

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonNode *entry = json_array_get_element (users, i);

      g_assert_true (JSON_NODE_HOLDS_OBJECT (entry));
      if (g_strcmp0 (json_object_get_string_member_with_default (
                         json_node_get_object (entry), "address", ""), user) != 0)
        continue;
      return json_array_get_length (mock_json_array_member (entry,
                                                            "applications"));
    }
  g_error ("the mock does not know %s", user);
  return 0;
}
