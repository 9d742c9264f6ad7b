/* mock-server.c: the SoupServer, request routing and the request log. */
#include "mock.h"

#include <string.h>

char *
mock_server_url (MockServer *server, const char *path)
{
  return g_strconcat (server->base_url, path, NULL);
}

static char *
operation_id_of (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  if (query)
    {
      g_autoptr (GHashTable) params = soup_form_decode (query);
      GHashTableIter iter;
      gpointer key, value;
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (g_ascii_strcasecmp (key, "operationId") == 0
            || g_ascii_strcasecmp (key, "OperationContext") == 0)
          return g_strdup (value);
    }
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  if (type && g_str_has_suffix (type, "json"))
    {
      g_autoptr (JsonObject) body = mock_parse_json_body (msg);
      const char *id = mock_json_get_string_ci (body, "operationId");
      if (id)
        return g_strdup (id);
    }
  return NULL;
}

/* Never records headers or bodies: they carry tokens and passwords. */
static void
mock_server_log_request (MockServer *server, SoupServerMessage *msg,
                         const char *operation_id)
{
  GUri *uri = soup_server_message_get_uri (msg);
  JsonObject *entry = json_object_new ();
  json_object_set_string_member (entry, "method", soup_server_message_get_method (msg));
  json_object_set_string_member (entry, "path", g_uri_get_path (uri));
  json_object_set_string_member (entry, "query", g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  if (operation_id)
    json_object_set_string_member (entry, "operationId", operation_id);
  g_ptr_array_add (server->request_log, entry);

}

/* --verbose: one line per answered request, without headers or bodies. */
static void
log_finished (SoupServerMessage *msg, gpointer data)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_printerr ("mock: %s %s%s%s -> %u\n", soup_server_message_get_method (msg),
              g_uri_get_path (uri), g_uri_get_query (uri) ? "?" : "",
              g_uri_get_query (uri) ? g_uri_get_query (uri) : "",
              soup_server_message_get_status (msg));
}

static void
handle_request (SoupServer *soup, SoupServerMessage *msg, const char *path,
                GHashTable *query, gpointer user_data)
{
  MockServer *server = user_data;
  g_autofree char *operation_id = operation_id_of (msg);
  mock_server_log_request (server, msg, operation_id);
  if (server->opts.verbose)
    g_signal_connect (msg, "finished", G_CALLBACK (log_finished), NULL);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "X-MS-UcwaVersion", "2.0");
  if (g_str_has_prefix (path, "/mock/v1/"))
    mock_control_handle (server, msg, path + strlen ("/mock/v1/"));
  else if (mock_auth_handle (server, msg, path))
    ;
  else if (g_str_has_prefix (path, MOCK_UCWA_PREFIX)
           && (path[strlen (MOCK_UCWA_PREFIX)] == '\0'
               || path[strlen (MOCK_UCWA_PREFIX)] == '/'))
    mock_application_handle (server, msg, path + strlen (MOCK_UCWA_PREFIX));
  else
    mock_respond_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "ResourceNotFound",
                        "The resource does not exist.");
}

MockServer *
mock_server_new (const MockOptions *opts, GError **error)
{
  MockServer *server = g_new0 (MockServer, 1);
  server->opts = *opts;
  server->users = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_user_free);
  server->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server->apps = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) mock_app_free);
  server->sessions = g_ptr_array_new ();
  server->request_log = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  server->played_inbox = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  server->next_app_id = 101;
  server->next_object_id = 1;
  mock_directory_init (server);

  server->soup = soup_server_new ("server-header", "ucwa-mock-server", NULL);
  soup_server_add_handler (server->soup, NULL, handle_request, server, NULL);

  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, opts->port);
  if (!soup_server_listen (server->soup, address, 0, error))
    {
      mock_server_free (server);
      return NULL;
    }
  /* The bound port, read from the socket (soup_server_get_uris leaks). */
  guint port = opts->port;
  GSList *listeners = soup_server_get_listeners (server->soup);
  if (listeners)
    {
      g_autoptr (GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);
      if (local)
        port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    }
  g_slist_free (listeners);
  server->opts.port = port;
  server->base_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  return server;
}

void
mock_server_free (MockServer *server)
{
  if (!server)
    return;
  /* Sessions first: they point into applications and users. */
  while (server->sessions->len > 0)
    mock_session_free (g_ptr_array_index (server->sessions, 0));
  g_ptr_array_unref (server->sessions);
  if (server->soup)
    soup_server_disconnect (server->soup);
  g_hash_table_destroy (server->apps);
  g_clear_object (&server->soup);
  g_hash_table_destroy (server->tokens);
  g_ptr_array_unref (server->users);
  g_ptr_array_unref (server->request_log);
  g_ptr_array_unref (server->played_inbox);
  g_free (server->base_url);
  g_free (server);
}
