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
  SoupSession *control;
  char *base_url;
  char *root_url;
  char drain_buffer[4096];
};

/* The mock keeps writing to stdout; keep reading so it never blocks on a
 * full pipe, and pass its output on to stderr for the test log. */
static void
mock_server_drain (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MockServer *mock = user_data;
  g_autoptr (GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n <= 0)
    return;  /* EOF, cancelled (mock freed) or the pipe broke */
  fwrite (mock->drain_buffer, 1, n, stderr);
  g_input_stream_read_async (mock->stdout_pipe, mock->drain_buffer,
                             sizeof mock->drain_buffer, G_PRIORITY_DEFAULT,
                             mock->drain_cancellable, mock_server_drain, mock);
}

static GPtrArray *
mock_server_argv (void)
{
  const char *exe = g_getenv ("UCWA_MOCK_SERVER");
  const char *extra = g_getenv ("UCWA_MOCK_ARGS");
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  if (exe == NULL || *exe == '\0')
    g_error ("UCWA_MOCK_SERVER is not set");
  g_ptr_array_add (argv, g_strdup (exe));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup ("0"));
  if (extra != NULL)
    {
      g_auto (GStrv) words = g_strsplit (extra, " ", -1);

      for (guint i = 0; words[i] != NULL; i++)
        if (*words[i] != '\0')
          g_ptr_array_add (argv, g_strdup (words[i]));
    }
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* In the child: die with the test.  A test that aborts on a failed
 * assertion would otherwise leave the mock running, holding the test's
 * stderr open, and meson would wait for it until the timeout. */
static void
mock_server_child_setup (gpointer unused)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

MockServer *
mock_server_start (void)
{
  g_autoptr (GPtrArray) argv = mock_server_argv ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  MockServer *mock = g_new0 (MockServer, 1);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, mock_server_child_setup,
                                         NULL, NULL);
  mock->process = g_subprocess_launcher_spawnv (
      launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* Read the first line byte by byte: a buffered reader would swallow the
   * output that follows it. */
  mock->stdout_pipe = g_object_ref (g_subprocess_get_stdout_pipe (mock->process));
  {
    GString *first = g_string_new (NULL);
    char c;

    while (g_input_stream_read (mock->stdout_pipe, &c, 1, NULL, &error) == 1
           && c != '\n')
      g_string_append_c (first, c);
    g_assert_no_error (error);
    line = g_string_free (first, FALSE);
  }
  if (!g_str_has_prefix (line, MOCK_LISTENING_PREFIX))
    g_error ("unexpected first line from the mock: \"%s\"", line);

  mock->base_url = g_strdup (line + strlen (MOCK_LISTENING_PREFIX));
  g_strstrip (mock->base_url);
  if (!g_str_has_suffix (mock->base_url, "/"))
    {
      char *with_slash = g_strconcat (mock->base_url, "/", NULL);

      g_free (mock->base_url);
      mock->base_url = with_slash;
    }
  mock->root_url = g_strconcat (mock->base_url, MOCK_ROOT_PATH, NULL);
  mock->control = soup_session_new ();
  mock->drain_cancellable = g_cancellable_new ();
  g_input_stream_read_async (mock->stdout_pipe, mock->drain_buffer,
                             sizeof mock->drain_buffer, G_PRIORITY_DEFAULT,
                             mock->drain_cancellable, mock_server_drain, mock);
  g_test_message ("mock listening on %s", mock->base_url);
  return mock;
}

void
mock_server_kill (MockServer *mock)
{
  g_autoptr (GError) error = NULL;

  if (mock->process == NULL)
    return;
  g_cancellable_cancel (mock->drain_cancellable);
  g_subprocess_force_exit (mock->process);
  g_subprocess_wait (mock->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&mock->process);
}

void
mock_server_free (MockServer *mock)
{
  if (mock == NULL)
    return;
  mock_server_kill (mock);
  /* Let the cancelled read finish before its buffer goes away. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
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

static char *
mock_server_url (MockServer *mock, const char *path)
{
  while (*path == '/')
    path++;
  return g_strconcat (mock->base_url, path, NULL);
}

guint
mock_server_post (MockServer *mock, const char *path, const char *json)
{
  g_autofree char *url = mock_server_url (mock, path);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  reply = soup_session_send_and_read (mock->control, msg, NULL, &error);
  if (reply == NULL)
    {
      g_test_message ("POST %s failed: %s", path, error->message);
      return 0;
    }
  return soup_message_get_status (msg);
}

JsonNode *
mock_server_get_json (MockServer *mock, const char *path)
{
  g_autofree char *url = mock_server_url (mock, path);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data;

  reply = soup_session_send_and_read (mock->control, msg, NULL, &error);
  if (reply == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_test_message ("GET %s failed: %s", path,
                      error != NULL ? error->message : "bad status");
      return NULL;
    }
  data = g_bytes_get_data (reply, &size);
  if (!json_parser_load_from_data (parser, data, size, &error))
    {
      g_test_message ("GET %s: bad JSON: %s", path, error->message);
      return NULL;
    }
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
      /* "true"/"false" stand for booleans, everything else is a string. */
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

/* The array at the top of @root, or in its member @member. */
static JsonArray *
mock_json_array_in (JsonNode *root, const char *member)
{
  if (root == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (root))
    return json_node_get_array (root);
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *node = json_object_get_member (object, member);

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        return json_node_get_array (node);
    }
  return NULL;
}

guint
mock_server_count_requests (MockServer *mock, const char *method,
                            const char *path_glob)
{
  g_autoptr (JsonNode) root = mock_server_get_json (mock, "/mock/v1/requests");
  JsonArray *requests = mock_json_array_in (root, "requests");
  g_autoptr (GPatternSpec) pattern = g_pattern_spec_new (path_glob);
  guint count = 0;

  g_assert_nonnull (requests);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      const char *request_method, *path;

      if (request == NULL)
        continue;
      request_method = json_object_get_string_member_with_default (request,
                                                                   "method", "");
      path = json_object_get_string_member_with_default (request, "path", "");
      /* The control API's own requests are not the client's. */
      if (g_str_has_prefix (path, "/mock/"))
        continue;
      if (method != NULL && g_ascii_strcasecmp (method, request_method) != 0)
        continue;
      if (g_pattern_spec_match_string (pattern, path))
        count++;
    }
  return count;
}

gboolean
mock_server_user_has_application (MockServer *mock, const char *user)
{
  g_autoptr (JsonNode) root = mock_server_get_json (mock, "/mock/v1/state");
  JsonArray *users = mock_json_array_in (root, "users");

  g_assert_nonnull (users);
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *entry = json_array_get_object_element (users, i);
      JsonArray *applications;

      if (entry == NULL
          || g_ascii_strcasecmp (json_object_get_string_member_with_default (
                                     entry, "address", ""), user) != 0)
        continue;
      applications = json_object_get_array_member (entry, "applications");
      return applications != NULL && json_array_get_length (applications) > 0;
    }
  g_error ("the mock does not know %s", user);
  return FALSE;
}
