/* test-mock.c: run the real mock server and drive its control interface. */
#include "test-mock.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>

struct _TestMock {
  GSubprocess *process;
  char        *base_url;
  SoupSession *session;
};

TestMock *
test_mock_start (const char *const *args)
{
  const char *path = g_getenv ("UCWA_MOCK_SERVER");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  TestMock *mock;
  const char *prefix = "ucwa-mock-server listening on ";

  g_assert_nonnull (path);
  g_ptr_array_add (argv, (gpointer) path);
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  for (gsize i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  mock = g_new0 (TestMock, 1);
  mock->process = g_subprocess_newv ((const char *const *) argv->pdata,
                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (mock->process));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  mock->base_url = g_strdup (line + strlen (prefix));
  g_assert_true (g_str_has_prefix (mock->base_url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (mock->base_url, "/"));

  mock->session = soup_session_new ();
  return mock;
}

void
test_mock_stop (TestMock *mock)
{
  g_autoptr(GError) error = NULL;

  if (mock == NULL)
    return;
  g_subprocess_send_signal (mock->process, SIGTERM);
  g_subprocess_wait (mock->process, NULL, &error);
  g_assert_no_error (error);
  /* SIGTERM must end the mock cleanly, not kill it. */
  g_assert_true (g_subprocess_get_if_exited (mock->process));
  g_assert_cmpint (g_subprocess_get_exit_status (mock->process), ==, 0);
  g_object_unref (mock->process);
  g_object_unref (mock->session);
  g_free (mock->base_url);
  g_free (mock);
}

const char *
test_mock_base_url (TestMock *mock)
{
  return mock->base_url;
}

char *
test_mock_discovery_url (TestMock *mock)
{
  return g_strconcat (mock->base_url, "autodiscover/autodiscoverservice.svc/root", NULL);
}

static GBytes *
exchange (TestMock   *mock,
          const char *method,
          const char *path,
          const char *json,
          guint      *status)
{
  g_autofree char *url = g_strconcat (mock->base_url, path[0] == '/' ? path + 1 : path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  if (json != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  /* A blocking call is fine: the mock is another process. */
  body = soup_session_send_and_read (mock->session, message, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (message);
  return body;
}

guint
test_mock_post (TestMock   *mock,
                const char *path,
                const char *json)
{
  guint status;
  g_autoptr(GBytes) body = exchange (mock, "POST", path, json, &status);

  return status;
}

JsonNode *
test_mock_get (TestMock   *mock,
               const char *path)
{
  guint status;
  g_autoptr(GBytes) body = exchange (mock, "GET", path, NULL, &status);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  g_assert_cmpuint (status, ==, 200);
  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static JsonArray *
find_array (JsonNode   *root,
            const char *member)
{
  if (JSON_NODE_HOLDS_ARRAY (root))
    return json_node_get_array (root);
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *node = json_object_get_member (json_node_get_object (root), member);
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        return json_node_get_array (node);
    }
  return NULL;
}

guint
test_mock_count_requests (TestMock   *mock,
                          const char *method,
                          const char *path_suffix,
                          GPtrArray  *operation_ids)
{
  g_autoptr(JsonNode) root = test_mock_get (mock, "/mock/v1/requests");
  JsonArray *requests = find_array (root, "requests");
  g_autofree char *suffix = g_ascii_strdown (path_suffix, -1);
  guint count = 0;

  g_assert_nonnull (requests);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      const char *m = json_object_get_string_member_with_default (request, "method", "");
      const char *p = json_object_get_string_member_with_default (request, "path", "");
      g_autofree char *lower = g_ascii_strdown (p, -1);

      if (g_strcmp0 (m, method) != 0 || !g_str_has_suffix (lower, suffix))
        continue;
      count++;
      if (operation_ids != NULL)
        {
          const char *id = json_object_get_string_member_with_default (request,
                                                                        "operationId", NULL);
          g_ptr_array_add (operation_ids, g_strdup (id));
        }
    }
  return count;
}

guint
test_mock_application_count (TestMock   *mock,
                             const char *user)
{
  g_autoptr(JsonNode) root = test_mock_get (mock, "/mock/v1/state");
  JsonObject *state = json_node_get_object (root);
  JsonNode *users = json_object_get_member (state, "users");
  JsonNode *entry = NULL;
  JsonArray *applications;

  g_assert_nonnull (users);
  if (JSON_NODE_HOLDS_OBJECT (users))
    entry = json_object_get_member (json_node_get_object (users), user);
  else if (JSON_NODE_HOLDS_ARRAY (users))
    {
      JsonArray *array = json_node_get_array (users);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *u = json_array_get_object_element (array, i);
          const char *name = json_object_get_string_member_with_default (u, "address", NULL);
          if (name == NULL)
            name = json_object_get_string_member_with_default (u, "user", NULL);
          if (g_strcmp0 (name, user) == 0)
            entry = json_array_get_element (array, i);
        }
    }
  if (entry == NULL)
    return 0;
  applications = find_array (entry, "applications");
  g_assert_nonnull (applications);
  return json_array_get_length (applications);
}

typedef struct {
  gboolean timed_out;
} WaitState;

static gboolean
on_wait_timeout (gpointer data)
{
  ((WaitState *) data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
test_wait_until (gboolean (*done) (gpointer data),
                 gpointer   data,
                 guint      timeout_ms)
{
  WaitState state = { FALSE };
  guint id = g_timeout_add (timeout_ms, on_wait_timeout, &state);
  gboolean result;

  while (!(result = done (data)) && !state.timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!state.timed_out)
    g_source_remove (id);
  return result;
}
