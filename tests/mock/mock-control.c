/* mock-control.c: the /mock/v1/ control interface tests drive the mock with.
 * No authentication; JSON in and out; errors use the UCWA error body. */
#include "mock.h"

#include <string.h>

static void
respond_ok (SoupServerMessage *msg)
{
  JsonObject *body = json_object_new ();
  json_object_set_string_member (body, "result", "ok");
  mock_respond_json (msg, SOUP_STATUS_OK, body);
}

static void
respond_bad_request (SoupServerMessage *msg, const char *message)
{
  mock_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                      "ParameterValidationFailure", message);
}

/* Looks up the user named by member @name of @body; answers and returns
 * NULL if it is missing (400) or unknown (@unknown_status). */
static MockUser *
user_member (MockServer *server, SoupServerMessage *msg, JsonObject *body,
             const char *name, guint unknown_status)
{
  const char *address = mock_json_get_string_ci (body, name);
  if (!address)
    {
      g_autofree char *text = g_strdup_printf ("`%s` is required.", name);
      respond_bad_request (msg, text);
      return NULL;
    }
  MockUser *user = mock_directory_find (server, address);
  if (!user)
    {
      g_autofree char *text = g_strdup_printf ("No user %s.", address);
      if (unknown_status == SOUP_STATUS_NOT_FOUND)
        mock_respond_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "DestinationNotFound", text);
      else
        respond_bad_request (msg, text);
    }
  return user;
}

static void
handle_send_im (MockServer *server, SoupServerMessage *msg, JsonObject *body)
{
  MockUser *from = user_member (server, msg, body, "from", SOUP_STATUS_BAD_REQUEST);
  if (!from)
    return;
  MockUser *to = user_member (server, msg, body, "to", SOUP_STATUS_NOT_FOUND);
  if (!to)
    return;
  const char *text = mock_json_get_string_ci (body, "text");
  if (!text)
    {
      respond_bad_request (msg, "`text` is required.");
      return;
    }
  if (mock_messaging_control_send (server, from, to, text) == SOUP_STATUS_OK)
    respond_ok (msg);
  else
    mock_respond_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "TemporarilyUnavailable",
                        "The recipient has no available application.");
}

static void
respond_no_conversation (SoupServerMessage *msg)
{
  mock_respond_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "ResourceNotFound",
                      "No conversation between these users.");
}

static void
handle_typing (MockServer *server, SoupServerMessage *msg, JsonObject *body)
{
  MockUser *from = user_member (server, msg, body, "from", SOUP_STATUS_BAD_REQUEST);
  if (!from)
    return;
  MockUser *to = user_member (server, msg, body, "to", SOUP_STATUS_NOT_FOUND);
  if (!to)
    return;
  gboolean typing = json_object_get_boolean_member_with_default (body, "typing", TRUE);
  MockView *view = mock_session_find_between (server, from, to);
  if (!view || view->state != MOCK_VIEW_CONNECTED)
    {
      respond_no_conversation (msg);
      return;
    }
  mock_messaging_set_typing (view, typing);
  respond_ok (msg);
}

static void
handle_end_conversation (MockServer *server, SoupServerMessage *msg, JsonObject *body)
{
  MockUser *user = user_member (server, msg, body, "user", SOUP_STATUS_BAD_REQUEST);
  if (!user)
    return;
  MockUser *peer = user_member (server, msg, body, "peer", SOUP_STATUS_NOT_FOUND);
  if (!peer)
    return;
  MockView *view = mock_session_find_between (server, user, peer);
  if (!view)
    {
      respond_no_conversation (msg);
      return;
    }
  mock_session_end (view->session);
  respond_ok (msg);
}

/* The applications of the body's `user`, or NULL with a 404 answered when
 * there are none. */
static GPtrArray *
user_apps (MockServer *server, SoupServerMessage *msg, JsonObject *body)
{
  MockUser *user = user_member (server, msg, body, "user", SOUP_STATUS_NOT_FOUND);
  GPtrArray *apps;
  GHashTableIter iter;
  gpointer value;

  if (!user)
    return NULL;
  apps = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, server->apps);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((MockApp *) value)->user == user)
      g_ptr_array_add (apps, value);
  if (apps->len == 0)
    {
      g_ptr_array_unref (apps);
      mock_respond_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "ApplicationNotFound",
                          "The user has no application.");
      return NULL;
    }
  return apps;
}

/* As if the user's applications had been idle past the server's window:
 * their conversations end without a word to them, and their next event
 * answer says `resume` (EventsInUCWA.md). */
static void
handle_resume (MockServer *server, SoupServerMessage *msg, JsonObject *body)
{
  g_autoptr (GPtrArray) apps = user_apps (server, msg, body);

  if (!apps)
    return;
  for (guint i = 0; i < apps->len; i++)
    {
      mock_session_detach_app (apps->pdata[i]);
      mock_events_resume (apps->pdata[i]);
    }
  respond_ok (msg);
}

/* As a server that ended the user's applications on its own (expiry, a
 * restart): they are gone, and whatever waits on them gets 404
 * ApplicationNotFound (ApplicationDashboard.md, ErrorSubcode_ref.md). */
static void
handle_drop_applications (MockServer *server, SoupServerMessage *msg, JsonObject *body)
{
  g_autoptr (GPtrArray) apps = user_apps (server, msg, body);

  if (!apps)
    return;
  for (guint i = 0; i < apps->len; i++)
    mock_app_destroy (apps->pdata[i]);
  respond_ok (msg);
}

static void
handle_fail_next (MockServer *server, SoupServerMessage *msg, JsonObject *body)
{
  const char *operation = mock_json_get_string_ci (body, "operation");
  const char *mode_name = mock_json_get_string_ci (body, "mode");
  MockFailMode mode;
  if (g_strcmp0 (mode_name, "event") == 0)
    mode = MOCK_FAIL_EVENT;
  else if (g_strcmp0 (mode_name, "http") == 0)
    mode = MOCK_FAIL_HTTP;
  else if (g_strcmp0 (mode_name, "gone") == 0)
    mode = MOCK_FAIL_GONE;
  else
    {
      respond_bad_request (msg, "`mode` must be \"event\", \"http\" or \"gone\".");
      return;
    }
  if (g_strcmp0 (operation, "sendMessage") == 0)
    server->fail_next_send_message = mode;
  else if (g_strcmp0 (operation, "startMessaging") == 0)
    server->fail_next_start_messaging = mode;
  else
    {
      respond_bad_request (msg, "`operation` must be \"sendMessage\" or \"startMessaging\".");
      return;
    }
  respond_ok (msg);
}

static JsonObject *
app_state (MockApp *app)
{
  JsonObject *obj = json_object_new ();
  json_object_set_string_member (obj, "id", app->id);
  json_object_set_string_member (obj, "endpointId", app->endpoint_id);
  json_object_set_string_member (obj, "userAgent", app->user_agent);
  json_object_set_boolean_member (obj, "available", app->available);
  json_object_set_int_member (obj, "parkedPGets", app->parked ? 1 : 0);
  json_object_set_int_member (obj, "ack", (gint64) app->ack_base);
  json_object_set_int_member (obj, "queuedEvents", (gint64) g_queue_get_length (&app->pending));
  JsonArray *convs = json_array_new ();
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, app->views);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      MockView *view = value;
      MockView *peer = mock_session_peer_of (view->session, view);
      JsonObject *conv = json_object_new ();
      json_object_set_string_member (conv, "id", view->conv_id);
      json_object_set_string_member (conv, "state", mock_view_state_name (view->state));
      json_object_set_string_member (conv, "direction", view->outgoing ? "Outgoing" : "Incoming");
      if (peer)
        json_object_set_string_member (conv, "peer", peer->user->address);
      json_array_add_object_element (convs, conv);
    }
  json_object_set_array_member (obj, "conversations", convs);
  return obj;
}

static JsonObject *
server_state (MockServer *server)
{
  JsonObject *root = json_object_new ();
  JsonArray *users = json_array_new ();
  for (guint i = 0; i < server->users->len; i++)
    {
      MockUser *user = g_ptr_array_index (server->users, i);
      JsonObject *u = json_object_new ();
      json_object_set_string_member (u, "address", user->address);
      json_object_set_string_member (u, "name", user->name);
      json_object_set_boolean_member (u, "available", mock_user_is_available (server, user));
      JsonArray *apps = json_array_new ();
      GHashTableIter iter;
      gpointer value;
      g_hash_table_iter_init (&iter, server->apps);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((MockApp *) value)->user == user)
          json_array_add_object_element (apps, app_state (value));
      json_object_set_array_member (u, "applications", apps);
      json_array_add_object_element (users, u);
    }
  json_object_set_array_member (root, "users", users);
  JsonArray *inbox = json_array_new ();
  for (guint i = 0; i < server->played_inbox->len; i++)
    json_array_add_object_element (inbox, json_object_ref (g_ptr_array_index (server->played_inbox, i)));
  json_object_set_array_member (root, "playedInbox", inbox);
  json_object_set_int_member (root, "sessions", server->sessions->len);
  return root;
}

static JsonObject *
request_log (MockServer *server)
{
  JsonObject *root = json_object_new ();
  JsonArray *list = json_array_new ();
  for (guint i = 0; i < server->request_log->len; i++)
    json_array_add_object_element (list, json_object_ref (g_ptr_array_index (server->request_log, i)));
  json_object_set_array_member (root, "requests", list);
  return root;
}

void
mock_control_handle (MockServer *server, SoupServerMessage *msg, const char *path)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean is_get = g_strcmp0 (path, "state") == 0 || g_strcmp0 (path, "requests") == 0;
  static const char *const posts[] = { "send-im", "typing", "end-conversation", "fail-next",
                                       "resume", "drop-applications" };
  gboolean is_post = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (posts); i++)
    is_post |= g_strcmp0 (path, posts[i]) == 0;

  if (!is_get && !is_post)
    {
      mock_respond_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "ResourceNotFound",
                          "No such control endpoint.");
      return;
    }
  if (g_strcmp0 (method, is_get ? "GET" : "POST") != 0)
    {
      mock_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed", "MethodNotAllowed",
                          is_get ? "Use GET." : "Use POST.");
      return;
    }
  if (g_strcmp0 (path, "state") == 0)
    {
      mock_respond_json (msg, SOUP_STATUS_OK, server_state (server));
      return;
    }
  if (g_strcmp0 (path, "requests") == 0)
    {
      mock_respond_json (msg, SOUP_STATUS_OK, request_log (server));
      return;
    }

  g_autoptr (JsonObject) body = mock_parse_json_body (msg);
  if (!body)
    {
      mock_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "BadRequest", "DeserializationFailure",
                          "The body must be a JSON object.");
      return;
    }
  if (g_strcmp0 (path, "send-im") == 0)
    handle_send_im (server, msg, body);
  else if (g_strcmp0 (path, "typing") == 0)
    handle_typing (server, msg, body);
  else if (g_strcmp0 (path, "end-conversation") == 0)
    handle_end_conversation (server, msg, body);
  else if (g_strcmp0 (path, "resume") == 0)
    handle_resume (server, msg, body);
  else if (g_strcmp0 (path, "drop-applications") == 0)
    handle_drop_applications (server, msg, body);
  else
    handle_fail_next (server, msg, body);
}
