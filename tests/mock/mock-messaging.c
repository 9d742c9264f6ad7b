/* mock-messaging.c: the instant-messaging flows and their HTTP handlers.
 *
 * Outgoing IM per SendAnIM.md and startMessaging_ref.md, incoming per
 * ReceiveAnIM.md, accept_ref.md and decline_ref.md, messages per
 * sendMessage_ref.md and message_ref.md, typing per setIsTyping_ref.md,
 * teardown per stopMessaging_ref.md.  The echo bot and parties driven by
 * the control interface are played by the server (views without an app).
 */
#include "mock.h"

#include <string.h>

#define BOT_ANSWER_DELAY_MS 50
#define BOT_REPLY_DELAY_MS 20
#define FAILURE_DELAY_MS 20

typedef struct {
  MockSession *session;
  char *code;
  char *subcode;
  char *message;
} MockDelayedFailure;

static void accept_invitation (MockSession *session, MockView *accepted);

static gboolean
method_is (SoupServerMessage *msg, const char *method)
{
  return g_strcmp0 (soup_server_message_get_method (msg), method) == 0;
}

static gboolean
expect (SoupServerMessage *msg, const char *method)
{
  if (method_is (msg, method))
    return TRUE;
  mock_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed", "MethodNotAllowed",
                      "The method is not allowed on this resource.");
  return FALSE;
}

static void
respond_not_found (SoupServerMessage *msg)
{
  mock_respond_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "ResourceNotFound",
                      "The resource does not exist.");
}

static MockView *
bot_view (MockSession *session)
{
  for (guint i = 0; i < session->views->len; i++)
    {
      MockView *view = g_ptr_array_index (session->views, i);
      if (!view->app && view->user->is_echo_bot)
        return view;
    }
  return NULL;
}

/* Every party still invited or connected gets the failure and the teardown;
 * the session ends. */
void
mock_session_fail (MockSession *session, const char *code, const char *subcode,
                   const char *message)
{
  for (guint i = 0; i < session->views->len; i++)
    {
      MockView *view = g_ptr_array_index (session->views, i);
      if (!view->app || view->state == MOCK_VIEW_DISCONNECTED)
        continue;
      mock_view_push_invitation_failed (view, mock_reason_new (code, subcode, message));
      mock_view_push_teardown (view);
    }
  mock_session_end (session);
}

static gboolean
delayed_failure_cb (gpointer data)
{
  MockDelayedFailure *failure = data;
  MockSession *session = failure->session;
  session->answer_source_id = 0;
  mock_session_fail (session, failure->code, failure->subcode, failure->message);
  return G_SOURCE_REMOVE;
}

static void
delayed_failure_free (gpointer data)
{
  MockDelayedFailure *failure = data;
  g_free (failure->code);
  g_free (failure->subcode);
  g_free (failure->message);
  g_free (failure);
}

/* Fails the invitation on a later main-loop turn, so that the failure
 * travels in a package after the one that started it. */
static void
fail_later (MockSession *session, const char *code, const char *subcode,
            const char *message)
{
  MockDelayedFailure *failure = g_new0 (MockDelayedFailure, 1);
  failure->session = session;
  failure->code = g_strdup (code);
  failure->subcode = g_strdup (subcode);
  failure->message = g_strdup (message);
  g_clear_handle_id (&session->answer_source_id, g_source_remove);
  session->answer_source_id = g_timeout_add_full (G_PRIORITY_DEFAULT, FAILURE_DELAY_MS,
                                                  delayed_failure_cb, failure,
                                                  delayed_failure_free);
}

static gboolean
invite_timeout_cb (gpointer data)
{
  MockSession *session = data;
  session->invite_timeout_id = 0;
  mock_session_fail (session, "Timeout", "Timeout",
                     "The invitation was not answered in time.");
  return G_SOURCE_REMOVE;
}

static void
arm_invite_timeout (MockSession *session)
{
  session->invite_timeout_id = g_timeout_add_seconds (session->server->opts.invitation_timeout,
                                                      invite_timeout_cb, session);
}

static gboolean
bot_reply_cb (gpointer data)
{
  MockSession *session = data;
  session->bot_source_id = 0;
  MockView *bot = bot_view (session);
  g_autofree char *text = g_queue_pop_head (&session->bot_replies);
  if (bot && text && bot->state == MOCK_VIEW_CONNECTED)
    mock_messaging_deliver (session, bot, text, NULL, NULL);
  if (!g_queue_is_empty (&session->bot_replies))
    session->bot_source_id = g_timeout_add (BOT_REPLY_DELAY_MS, bot_reply_cb, session);
  return G_SOURCE_REMOVE;
}

/* The echo bot answers `echo: ` + the text, trailing CRLF stripped. */
static void
bot_queue_reply (MockSession *session, const char *text)
{
  g_autofree char *stripped = mock_strip_crlf (text);
  g_queue_push_tail (&session->bot_replies, g_strconcat ("echo: ", stripped, NULL));
  if (!session->bot_source_id)
    session->bot_source_id = g_timeout_add (BOT_REPLY_DELAY_MS, bot_reply_cb, session);
}

gboolean
mock_messaging_deliver (MockSession *session, MockView *sender, const char *text,
                        const char *operation_id, char **location)
{
  gboolean delivered = FALSE;
  if (sender->app)
    mock_view_push_message (sender, sender, text, operation_id, NULL, location);
  for (guint i = 0; i < session->views->len; i++)
    {
      MockView *view = g_ptr_array_index (session->views, i);
      if (view == sender || view->state != MOCK_VIEW_CONNECTED)
        continue;
      if (view->app)
        {
          mock_view_push_message (view, sender, text, NULL, NULL, NULL);
          delivered = TRUE;
        }
      else if (view->user->is_echo_bot && !sender->user->is_echo_bot)
        {
          bot_queue_reply (session, text);
          delivered = TRUE;
        }
      else if (!view->user->is_echo_bot)
        {
          /* A party played for the control interface: keep what it got. */
          JsonObject *entry = json_object_new ();
          json_object_set_string_member (entry, "from", sender->user->address);
          json_object_set_string_member (entry, "to", view->user->address);
          json_object_set_string_member (entry, "text", text);
          g_ptr_array_add (session->server->played_inbox, entry);
          delivered = TRUE;
        }
    }
  return delivered;
}

static gboolean
bot_accept_cb (gpointer data)
{
  MockSession *session = data;
  session->answer_source_id = 0;
  MockView *bot = bot_view (session);
  if (bot)
    accept_invitation (session, bot);
  return G_SOURCE_REMOVE;
}

/* The first invited endpoint to accept wins; the others hear that the
 * invitation was answered elsewhere. */
static void
accept_invitation (MockSession *session, MockView *accepted)
{
  MockServer *server = session->server;
  g_clear_handle_id (&session->invite_timeout_id, g_source_remove);
  for (guint i = session->views->len; i > 0; i--)
    {
      MockView *view = g_ptr_array_index (session->views, i - 1);
      if (view == accepted || view->state != MOCK_VIEW_INCOMING || view->user != accepted->user)
        continue;
      if (view->app)
        {
          mock_view_push_invitation_failed (view, mock_reason_new ("Gone", "ConnectedElsewhere",
              "The invitation was accepted on another endpoint."));
          mock_view_push_teardown (view);
        }
      mock_session_remove_view (session, view);
    }

  MockView *sender = mock_session_peer_of (session, accepted);
  accepted->state = MOCK_VIEW_CONNECTED;
  if (accepted->app && sender)
    mock_view_push_connected (accepted, sender);
  if (sender && sender->app)
    mock_view_push_connected (sender, accepted);
  if (sender)
    sender->state = MOCK_VIEW_CONNECTED;

  if (accepted->app && sender && session->first_message && server->opts.repeat_first_message)
    mock_view_push_message (accepted, sender, session->first_message, NULL, NULL, NULL);
  if (!accepted->app && accepted->user->is_echo_bot && session->first_message)
    bot_queue_reply (session, session->first_message);
  if (sender)
    for (guint i = 0; i < session->queued_texts->len; i++)
      mock_messaging_deliver (session, sender, g_ptr_array_index (session->queued_texts, i),
                              NULL, NULL);
  g_ptr_array_set_size (session->queued_texts, 0);
}

static char *
first_message_of (JsonObject *body)
{
  const char *message = mock_json_get_string_ci (body, "message");
  if (message)
    return g_str_has_prefix (message, "data:") ? mock_data_uri_decode (message)
                                                : g_strdup (message);
  if (body && json_object_has_member (body, "_links"))
    {
      JsonObject *links = json_object_get_object_member (body, "_links");
      JsonNode *node = links ? json_object_get_member (links, "message") : NULL;
      if (node && JSON_NODE_HOLDS_OBJECT (node))
        return mock_data_uri_decode (mock_json_get_string_ci (json_node_get_object (node), "href"));
    }
  return NULL;
}

static void
set_first_message (MockSession *session, const char *text)
{
  if (!text || !*text)
    return;
  session->first_message = g_strdup (text);
  session->first_message_uri = mock_data_uri_encode (session->server, text);
}

/* startMessaging_ref.md: POST messagingInvitations. */
static void
handle_start_messaging (MockApp *app, SoupServerMessage *msg)
{
  MockServer *server = app->server;
  g_autoptr (JsonObject) body = mock_parse_json_body (msg);
  const char *to = mock_json_get_string_ci (body, "to");
  const char *operation_id = mock_json_get_string_ci (body, "operationId");
  const char *subject = mock_json_get_string_ci (body, "subject");
  if (!to || (subject && strlen (subject) > 250)
      || (operation_id && strlen (operation_id) > 50))
    {
      mock_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "BadRequest", "ParameterValidationFailure",
                          "`to` is required; subject at most 250, operationId at most 50 characters.");
      return;
    }
  MockFailMode fail = server->fail_next_start_messaging;
  server->fail_next_start_messaging = MOCK_FAIL_NONE;
  if (fail == MOCK_FAIL_HTTP)
    {
      mock_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "ServiceFailure",
                          "ServiceFailure", "Injected failure of startMessaging.");
      return;
    }

  MockSession *session = mock_session_new (server, subject,
                                           mock_json_get_string_ci (body, "importance"),
                                           mock_json_get_string_ci (body, "threadId"));
  g_autofree char *first = first_message_of (body);
  set_first_message (session, first);
  MockView *sender = mock_session_add_view (session, app->user, app, TRUE);
  sender->operation_id = g_strdup (operation_id);
  MockUser *target = mock_directory_find (server, to);
  g_autoptr (GPtrArray) apps = NULL;
  if (target && target != app->user && !target->is_echo_bot)
    apps = mock_user_available_apps (server, target);
  if (target && target != app->user && (target->is_echo_bot || apps->len > 0))
    {
      if (target->is_echo_bot)
        mock_session_add_view (session, target, NULL, FALSE);
      for (guint i = 0; apps && i < apps->len; i++)
        mock_session_add_view (session, target, g_ptr_array_index (apps, i), FALSE);
    }

  mock_view_push_outgoing_started (sender);
  g_autofree char *location = mock_app_href (app, "/communication/messagingInvitations/%s",
                                             sender->invitation_id);

  if (fail == MOCK_FAIL_EVENT)
    fail_later (session, "ServiceFailure", "Unreachable", "Injected failure of startMessaging.");
  else if (!target)
    fail_later (session, "NotFound", "DestinationNotFound",
                "The person you are trying to reach does not exist.");
  else if (session->views->len < 2)
    {
      g_autofree char *text = g_strdup_printf ("%s is not signed in or not available right now.",
                                               target->name);
      fail_later (session, "NotFound", "TemporarilyUnavailable", text);
    }
  else if (target->is_echo_bot)
    session->answer_source_id = g_timeout_add (BOT_ANSWER_DELAY_MS, bot_accept_cb, session);
  else
    {
      for (guint i = 0; i < session->views->len; i++)
        {
          MockView *view = g_ptr_array_index (session->views, i);
          if (view != sender)
            mock_view_push_incoming_invitation (view, sender);
        }
      arm_invite_timeout (session);
    }
  mock_events_reply_created (app, msg, location);
}

/* POST /mock/v1/send-im: @from (played by the server) sends @text to @to. */
guint
mock_messaging_control_send (MockServer *server, MockUser *from, MockUser *to,
                             const char *text)
{
  MockView *existing = mock_session_find_between (server, from, to);
  if (existing)
    {
      MockSession *session = existing->session;
      MockView *peer = mock_session_peer_of (session, existing);
      if (peer && peer->state == MOCK_VIEW_CONNECTED
          && mock_messaging_deliver (session, existing, text, NULL, NULL))
        return SOUP_STATUS_OK;
      if (peer && peer->state == MOCK_VIEW_INCOMING && peer->app)
        {
          g_ptr_array_add (session->queued_texts, g_strdup (text));
          return SOUP_STATUS_OK;
        }
    }
  g_autoptr (GPtrArray) apps = mock_user_available_apps (server, to);
  if (apps->len == 0 || from == to)
    return SOUP_STATUS_NOT_FOUND;

  MockSession *session = mock_session_new (server, "", "Normal", NULL);
  set_first_message (session, text);
  MockView *sender = mock_session_add_view (session, from, NULL, TRUE);
  for (guint i = 0; i < apps->len; i++)
    {
      MockView *view = mock_session_add_view (session, to, g_ptr_array_index (apps, i), FALSE);
      mock_view_push_incoming_invitation (view, sender);
    }
  arm_invite_timeout (session);
  return SOUP_STATUS_OK;
}

static gboolean
typing_timeout_cb (gpointer data)
{
  MockView *typist = data;
  typist->typing_timeout_id = 0;
  mock_messaging_set_typing (typist, FALSE);
  return G_SOURCE_REMOVE;
}

void
mock_messaging_set_typing (MockView *typist, gboolean typing)
{
  MockSession *session = typist->session;
  g_clear_handle_id (&typist->typing_timeout_id, g_source_remove);
  if (typing)
    typist->typing_timeout_id = g_timeout_add_seconds (session->server->opts.typing_timeout,
                                                       typing_timeout_cb, typist);
  if (typist->typing == typing)
    return;
  typist->typing = typing;
  for (guint i = 0; i < session->views->len; i++)
    {
      MockView *view = g_ptr_array_index (session->views, i);
      if (view != typist && view->app && view->state == MOCK_VIEW_CONNECTED)
        mock_view_push_typing (view, typist, typing);
    }
}

/* sendMessage_ref.md: raw text body, operationId in the query. */
static void
handle_send_message (MockView *view, SoupServerMessage *msg)
{
  MockServer *server = view->session->server;
  if (view->state != MOCK_VIEW_CONNECTED)
    {
      mock_respond_error (msg, SOUP_STATUS_CONFLICT, "Conflict", "InvalidState",
                          "Messaging is not connected.");
      return;
    }
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr (GHashTable) params = query ? soup_form_decode (query) : NULL;
  const char *operation_id = NULL;
  if (params)
    {
      operation_id = g_hash_table_lookup (params, "operationId");
      if (!operation_id)
        operation_id = g_hash_table_lookup (params, "OperationContext");
    }
  g_autofree char *text = mock_body_text (msg);
  MockFailMode fail = server->fail_next_send_message;
  server->fail_next_send_message = MOCK_FAIL_NONE;
  if (fail == MOCK_FAIL_HTTP)
    {
      mock_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "ServiceFailure",
                          "ServiceFailure", "Injected failure of sendMessage.");
      return;
    }
  if (fail == MOCK_FAIL_GONE)
    {
      /* As a server that ended the conversation a moment ago: the POST
       * finds nothing (ErrorsAndInformationalMessages.md: 404), and the
       * teardown events follow. */
      mock_respond_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", "ResourceNotFound",
                          "The conversation no longer exists.");
      mock_session_end (view->session);
      return;
    }
  g_autofree char *location = NULL;
  if (fail == MOCK_FAIL_EVENT)
    mock_view_push_message (view, view, text, operation_id,
                            mock_reason_new ("ServiceFailure", "DeliveryFailure",
                                             "The message could not be delivered."),
                            &location);
  else
    mock_messaging_deliver (view->session, view, text, operation_id, &location);
  mock_events_reply_created (view->app, msg, location);
}

/* stopMessaging_ref.md (and cancel_ref.md while still connecting). */
static void
handle_stop (MockView *view, SoupServerMessage *msg)
{
  mock_respond_empty (msg, SOUP_STATUS_NO_CONTENT);
  MockSession *session = view->session;
  if (view->state == MOCK_VIEW_CONNECTING)
    mock_session_fail (session, "Gone", "Canceled", "The invitation was canceled.");
  else
    mock_session_end (session);
}

static JsonObject *
participants_resource (MockView *view)
{
  g_autofree char *self = mock_view_href (view, "/participants");
  JsonObject *res = mock_resource_new ("participants", self);
  MockView *peer = mock_session_peer_of (view->session, view);
  JsonArray *list = json_array_new ();
  if (peer && view->peer_added)
    json_array_add_object_element (list, mock_participant_resource (view, peer->user));
  JsonObject *embedded = json_object_new ();
  json_object_set_array_member (embedded, "participant", list);
  json_object_set_object_member (embedded, "localParticipant",
                                 mock_participant_resource (view, view->user));
  json_object_set_object_member (res, "_embedded", embedded);
  return res;
}

static JsonObject *
typing_participants_resource (MockView *view)
{
  g_autofree char *self = mock_view_href (view, "/messaging/typingParticipants");
  JsonObject *res = mock_resource_new ("typingParticipants", self);
  JsonArray *list = json_array_new ();
  for (guint i = 0; i < view->session->views->len; i++)
    {
      MockView *other = g_ptr_array_index (view->session->views, i);
      if (other != view && other->typing)
        json_array_add_object_element (list, mock_participant_resource (view, other->user));
    }
  JsonObject *embedded = json_object_new ();
  json_object_set_array_member (embedded, "participant", list);
  json_object_set_object_member (res, "_embedded", embedded);
  return res;
}

/* participants/<address>[/messaging] */
static void
handle_participant (MockView *view, SoupServerMessage *msg, const char *rest)
{
  g_auto (GStrv) parts = g_strsplit (rest, "/", 2);
  MockUser *user = mock_directory_find (view->session->server, parts[0]);
  MockView *peer = mock_session_peer_of (view->session, view);
  if (!user || (user != view->user && (!peer || peer->user != user || !view->peer_added)))
    {
      respond_not_found (msg);
      return;
    }
  g_autofree char *part = mock_view_participant_href (view, user);
  if (!parts[1])
    mock_respond_json (msg, SOUP_STATUS_OK, mock_participant_resource (view, user));
  else if (g_strcmp0 (parts[1], "messaging") == 0 && view->state == MOCK_VIEW_CONNECTED)
    {
      g_autofree char *self = g_strconcat (part, "/messaging", NULL);
      JsonObject *res = mock_resource_new ("participantMessaging", self);
      mock_add_link_titled (res, "participant", part, user->name);
      mock_respond_json (msg, SOUP_STATUS_OK, res);
    }
  else
    respond_not_found (msg);
}

static void
handle_conversation (MockApp *app, SoupServerMessage *msg, const char *rest)
{
  const char *slash = strchr (rest, '/');
  g_autofree char *id = slash ? g_strndup (rest, slash - rest) : g_strdup (rest);
  const char *sub = slash ? slash : "";
  MockView *view = g_hash_table_lookup (app->views, id);
  if (!view)
    {
      respond_not_found (msg);
      return;
    }
  if (*sub == '\0')
    {
      if (method_is (msg, "DELETE"))
        handle_stop (view, msg);
      else if (expect (msg, "GET"))
        mock_respond_json (msg, SOUP_STATUS_OK, mock_view_conversation (view));
    }
  else if (g_strcmp0 (sub, "/messaging") == 0)
    {
      if (expect (msg, "GET"))
        mock_respond_json (msg, SOUP_STATUS_OK, mock_view_messaging (view));
    }
  else if (g_strcmp0 (sub, "/messaging/messages") == 0)
    {
      if (expect (msg, "POST"))
        handle_send_message (view, msg);
    }
  else if (g_strcmp0 (sub, "/messaging/terminate") == 0)
    {
      if (expect (msg, "POST"))
        handle_stop (view, msg);
    }
  else if (g_strcmp0 (sub, "/messaging/typing") == 0)
    {
      if (!expect (msg, "POST"))
        return;
      if (view->state != MOCK_VIEW_CONNECTED)
        {
          mock_respond_error (msg, SOUP_STATUS_CONFLICT, "Conflict", "InvalidState",
                              "Messaging is not connected.");
          return;
        }
      mock_respond_empty (msg, SOUP_STATUS_NO_CONTENT);
      mock_messaging_set_typing (view, TRUE);
    }
  else if (g_strcmp0 (sub, "/messaging/typingParticipants") == 0)
    {
      if (expect (msg, "GET"))
        mock_respond_json (msg, SOUP_STATUS_OK, typing_participants_resource (view));
    }
  else if (g_strcmp0 (sub, "/participants") == 0)
    {
      if (expect (msg, "GET"))
        mock_respond_json (msg, SOUP_STATUS_OK, participants_resource (view));
    }
  else if (g_str_has_prefix (sub, "/participants/"))
    {
      if (expect (msg, "GET"))
        handle_participant (view, msg, sub + strlen ("/participants/"));
    }
  else
    respond_not_found (msg);
}

/* decline_ref.md: `Local` declines on this endpoint only while others are
 * still invited; otherwise the inviter hears Declined. */
static void
handle_decline (MockView *view, SoupServerMessage *msg)
{
  g_autoptr (JsonObject) body = mock_parse_json_body (msg);
  const char *reason = mock_json_get_string_ci (body, "reason");
  MockSession *session = view->session;
  mock_respond_empty (msg, SOUP_STATUS_NO_CONTENT);
  gboolean others = FALSE;
  for (guint i = 0; i < session->views->len; i++)
    {
      MockView *other = g_ptr_array_index (session->views, i);
      if (other != view && other->user == view->user && other->state == MOCK_VIEW_INCOMING)
        others = TRUE;
    }
  if (others && g_strcmp0 (reason, "Global") != 0)
    {
      mock_view_push_invitation_failed (view, mock_reason_new ("Forbidden", "Declined",
                                                               "The invitation was declined."));
      mock_view_push_teardown (view);
      mock_session_remove_view (session, view);
      return;
    }
  mock_session_fail (session, "Forbidden", "Declined", "The invitation was declined.");
}

static void
handle_invitation (MockApp *app, SoupServerMessage *msg, const char *rest)
{
  const char *slash = strchr (rest, '/');
  g_autofree char *id = slash ? g_strndup (rest, slash - rest) : g_strdup (rest);
  const char *action = slash ? slash + 1 : NULL;
  MockView *view = g_hash_table_lookup (app->invitations, id);
  if (!view)
    {
      respond_not_found (msg);
      return;
    }
  if (!action)
    {
      if (expect (msg, "GET"))
        mock_respond_json (msg, SOUP_STATUS_OK, mock_view_invitation (view));
      return;
    }
  gboolean accept = g_strcmp0 (action, "accept") == 0;
  if (!accept && g_strcmp0 (action, "decline") != 0)
    {
      respond_not_found (msg);
      return;
    }
  if (!expect (msg, "POST"))
    return;
  if (view->outgoing || view->state != MOCK_VIEW_INCOMING)
    {
      mock_respond_error (msg, SOUP_STATUS_CONFLICT, "Conflict", "InvalidState",
                          "The invitation is no longer pending.");
      return;
    }
  if (accept)
    {
      mock_respond_empty (msg, SOUP_STATUS_NO_CONTENT);
      accept_invitation (view->session, view);
    }
  else
    handle_decline (view, msg);
}

static JsonObject *
conversations_resource (MockApp *app)
{
  g_autofree char *self = mock_app_href (app, "/communication/conversations");
  JsonObject *res = mock_resource_new ("conversations", self);
  JsonArray *list = json_array_new ();
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, app->views);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_autofree char *href = mock_view_href (value, NULL);
      json_array_add_object_element (list, mock_link (href, NULL));
    }
  json_object_set_array_member (json_object_get_object_member (res, "_links"),
                                "conversation", list);
  return res;
}

void
mock_messaging_handle (MockApp *app, SoupServerMessage *msg, const char *subpath)
{
  if (g_strcmp0 (subpath, "/messagingInvitations") == 0)
    {
      if (expect (msg, "POST"))
        handle_start_messaging (app, msg);
    }
  else if (g_str_has_prefix (subpath, "/messagingInvitations/"))
    handle_invitation (app, msg, subpath + strlen ("/messagingInvitations/"));
  else if (g_strcmp0 (subpath, "/conversations") == 0)
    {
      if (expect (msg, "GET"))
        mock_respond_json (msg, SOUP_STATUS_OK, conversations_resource (app));
    }
  else if (g_str_has_prefix (subpath, "/conversations/"))
    handle_conversation (app, msg, subpath + strlen ("/conversations/"));
  else
    respond_not_found (msg);
}
