/* mock-conversation.c: sessions, the per-application views of them, and the
 * resources and events a view produces.
 *
 * Resource shapes follow conversation_ref.md, messaging_ref.md,
 * messagingInvitation_ref.md, participant_ref.md, localParticipant_ref.md,
 * participantMessaging_ref.md and message_ref.md; event sequences follow
 * SendAnIM.md (packages A and B), ReceiveAnIM.md and typingParticipants_ref.md.
 */
#include "mock.h"

#include <string.h>

const char *
mock_view_state_name (MockViewState state)
{
  switch (state)
    {
    case MOCK_VIEW_CONNECTING:
      return "Connecting";
    case MOCK_VIEW_INCOMING:
      return "Incoming";
    case MOCK_VIEW_CONNECTED:
      return "Connected";
    case MOCK_VIEW_DISCONNECTED:
    default:
      return "Disconnected";
    }
}

MockSession *
mock_session_new (MockServer *server, const char *subject, const char *importance,
                  const char *thread_id)
{
  MockSession *session = g_new0 (MockSession, 1);
  session->server = server;
  session->subject = g_strdup (subject ? subject : "");
  session->importance = g_strdup (importance ? importance : "Normal");
  if (thread_id)
    session->thread_id = g_strdup (thread_id);
  else
    {
      g_autofree char *uuid = mock_random_uuid ();
      g_auto (GStrv) parts = g_strsplit (uuid, "-", -1);
      session->thread_id = g_strjoinv ("", parts);
    }
  session->views = g_ptr_array_new ();
  session->queued_texts = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&session->bot_replies);
  g_ptr_array_add (server->sessions, session);
  return session;
}

static void
view_forget_ids (MockView *view)
{
  if (!view->app)
    return;
  if (view->conv_id)
    g_hash_table_remove (view->app->views, view->conv_id);
  if (view->invitation_id)
    g_hash_table_remove (view->app->invitations, view->invitation_id);
}

static void
view_free (MockView *view)
{
  view_forget_ids (view);
  g_clear_handle_id (&view->typing_timeout_id, g_source_remove);
  g_free (view->conv_id);
  g_free (view->invitation_id);
  g_free (view->operation_id);
  g_free (view);
}

void
mock_session_free (MockSession *session)
{
  g_ptr_array_remove (session->server->sessions, session);
  g_clear_handle_id (&session->invite_timeout_id, g_source_remove);
  g_clear_handle_id (&session->answer_source_id, g_source_remove);
  g_clear_handle_id (&session->bot_source_id, g_source_remove);
  g_queue_clear_full (&session->bot_replies, g_free);
  for (guint i = 0; i < session->views->len; i++)
    view_free (g_ptr_array_index (session->views, i));
  g_ptr_array_unref (session->views);
  g_ptr_array_unref (session->queued_texts);
  g_free (session->thread_id);
  g_free (session->subject);
  g_free (session->importance);
  g_free (session->first_message);
  g_free (session->first_message_uri);
  g_free (session);
}

void
mock_session_remove_view (MockSession *session, MockView *view)
{
  g_ptr_array_remove (session->views, view);
  view_free (view);
}

MockView *
mock_session_add_view (MockSession *session, MockUser *user, MockApp *app,
                       gboolean outgoing)
{
  MockServer *server = session->server;
  MockView *view = g_new0 (MockView, 1);
  view->session = session;
  view->user = user;
  view->app = app;
  view->outgoing = outgoing;
  view->state = outgoing ? MOCK_VIEW_CONNECTING : MOCK_VIEW_INCOMING;
  guint n = server->next_object_id++;
  view->conv_id = g_strdup_printf ("%x", 0x21a0 + n);
  view->invitation_id = g_strdup_printf ("%x", 0x6400 + n);
  if (app)
    {
      g_hash_table_insert (app->views, view->conv_id, view);
      g_hash_table_insert (app->invitations, view->invitation_id, view);
    }
  g_ptr_array_add (session->views, view);
  return view;
}

/* The other party of a 1:1 session (the first view of another user). */
MockView *
mock_session_peer_of (MockSession *session, MockView *view)
{
  for (guint i = 0; i < session->views->len; i++)
    {
      MockView *other = g_ptr_array_index (session->views, i);
      if (other->user != view->user)
        return other;
    }
  return NULL;
}

MockView *
mock_session_find_between (MockServer *server, MockUser *user, MockUser *peer)
{
  for (guint i = 0; i < server->sessions->len; i++)
    {
      MockSession *session = g_ptr_array_index (server->sessions, i);
      MockView *mine = NULL;
      gboolean has_peer = FALSE;
      if (session->ended)
        continue;
      for (guint v = 0; v < session->views->len; v++)
        {
          MockView *view = g_ptr_array_index (session->views, v);
          if (view->state == MOCK_VIEW_DISCONNECTED)
            continue;
          if (view->user == user && (!mine || (view->app && !mine->app)))
            mine = view;
          else if (view->user == peer)
            has_peer = TRUE;
        }
      if (mine && has_peer)
        return mine;
    }
  return NULL;
}

char *
mock_view_href (MockView *view, const char *suffix)
{
  return mock_app_href (view->app, "/communication/conversations/%s%s",
                        view->conv_id, suffix ? suffix : "");
}

char *
mock_view_participant_href (MockView *view, MockUser *user)
{
  return mock_app_href (view->app, "/communication/conversations/%s/participants/%s",
                        view->conv_id, user->address);
}

static char *
invitation_href (MockView *view)
{
  return mock_app_href (view->app, "/communication/messagingInvitations/%s",
                        view->invitation_id);
}

/* participant_ref.md; the local one (localParticipant_ref.md) links `me`. */
JsonObject *
mock_participant_resource (MockView *view, MockUser *user)
{
  g_autofree char *self = mock_view_participant_href (view, user);
  g_autofree char *conv = mock_view_href (view, NULL);
  JsonObject *p = mock_resource_new ("participant", self);
  json_object_set_string_member (p, "sourceNetwork", "SameEnterprise");
  json_object_set_boolean_member (p, "anonymous", FALSE);
  json_object_set_string_member (p, "name", user->name);
  g_autofree char *uri = g_strconcat ("sip:", user->address, NULL);
  json_object_set_string_member (p, "uri", uri);
  mock_add_link (p, "conversation", conv);
  if (user == view->user)
    {
      g_autofree char *me = mock_app_href (view->app, "/me");
      mock_add_link (p, "me", me);
    }
  else
    {
      g_autofree char *contact = mock_app_href (view->app, "/people/%s", user->address);
      g_autofree char *presence = mock_app_href (view->app, "/people/%s/presence", user->address);
      g_autofree char *photo = mock_app_href (view->app, "/photos/%s", user->address);
      mock_add_link (p, "contact", contact);
      mock_add_link (p, "contactPresence", presence);
      mock_add_link (p, "contactPhoto", photo);
    }
  return p;
}

JsonObject *
mock_view_conversation (MockView *view)
{
  g_autofree char *self = mock_view_href (view, NULL);
  g_autofree char *messaging = mock_view_href (view, "/messaging");
  g_autofree char *participants = mock_view_href (view, "/participants");
  JsonObject *c = mock_resource_new ("conversation", self);
  MockSession *session = view->session;
  json_object_set_string_member (c, "state", mock_view_state_name (view->state));
  json_object_set_string_member (c, "threadId", session->thread_id);
  json_object_set_string_member (c, "subject", session->subject);
  json_object_set_string_member (c, "importance", session->importance);
  json_object_set_boolean_member (c, "recording", FALSE);
  JsonArray *modalities = json_array_new ();
  if (view->state == MOCK_VIEW_CONNECTED)
    json_array_add_string_element (modalities, "Messaging");
  json_object_set_array_member (c, "activeModalities", modalities);
  mock_add_link (c, "messaging", messaging);
  mock_add_link (c, "participants", participants);
  if (view->state == MOCK_VIEW_CONNECTED)
    {
      g_autofree char *local = mock_view_participant_href (view, view->user);
      g_autofree char *add = mock_app_href (view->app,
                                            "/communication/participantInvitations?conversation=%s",
                                            view->conv_id);
      mock_add_link_titled (c, "localParticipant", local, view->user->name);
      mock_add_link (c, "addParticipant", add);
    }
  return c;
}

JsonObject *
mock_view_messaging (MockView *view)
{
  g_autofree char *self = mock_view_href (view, "/messaging");
  g_autofree char *conv = mock_view_href (view, NULL);
  JsonObject *m = mock_resource_new ("messaging", self);
  const char *state = view->state == MOCK_VIEW_CONNECTED ? "Connected"
                      : view->state == MOCK_VIEW_DISCONNECTED ? "Disconnected"
                      : view->state == MOCK_VIEW_INCOMING ? "Notified" : "Connecting";
  json_object_set_string_member (m, "state", state);
  mock_add_link (m, "conversation", conv);
  if (view->state == MOCK_VIEW_DISCONNECTED)
    return m;
  g_autofree char *stop = mock_view_href (view, "/messaging/terminate");
  mock_add_link (m, "stopMessaging", stop);
  if (view->state == MOCK_VIEW_CONNECTED)
    {
      JsonArray *formats = json_array_new ();
      json_array_add_string_element (formats, "Plain");
      json_object_set_array_member (m, "negotiatedMessageFormats", formats);
      g_autofree char *send = mock_view_href (view, "/messaging/messages");
      g_autofree char *typing = mock_view_href (view, "/messaging/typing");
      g_autofree char *typers = mock_view_href (view, "/messaging/typingParticipants");
      mock_add_link (m, "sendMessage", send);
      mock_add_link (m, "setIsTyping", typing);
      mock_add_link (m, "typingParticipants", typers);
    }
  return m;
}

/* messagingInvitation_ref.md, with the SendAnIM.md / ReceiveAnIM.md links. */
JsonObject *
mock_view_invitation (MockView *view)
{
  MockSession *session = view->session;
  MockView *peer = mock_session_peer_of (session, view);
  g_autofree char *self = invitation_href (view);
  g_autofree char *conv = mock_view_href (view, NULL);
  g_autofree char *messaging = mock_view_href (view, "/messaging");
  JsonObject *inv = mock_resource_new ("messagingInvitation", self);
  json_object_set_string_member (inv, "direction", view->outgoing ? "Outgoing" : "Incoming");
  json_object_set_string_member (inv, "importance", session->importance);
  json_object_set_string_member (inv, "threadId", session->thread_id);
  json_object_set_string_member (inv, "state",
      view->state == MOCK_VIEW_CONNECTED ? "Connected"
      : view->state == MOCK_VIEW_DISCONNECTED ? "Failed" : "Connecting");
  json_object_set_string_member (inv, "subject", session->subject);
  if (view->operation_id)
    json_object_set_string_member (inv, "operationId", view->operation_id);

  MockUser *target = view->outgoing ? (peer ? peer->user : NULL) : view->user;
  if (target)
    {
      g_autofree char *to = mock_app_href (view->app, "/people/%s", target->address);
      mock_add_link (inv, "to", to);
    }
  if (view->outgoing)
    {
      g_autofree char *from = mock_view_participant_href (view, view->user);
      mock_add_link_titled (inv, "from", from, view->user->name);
    }
  else if (peer)
    {
      g_autofree char *from = mock_view_participant_href (view, peer->user);
      mock_add_link_titled (inv, "from", from, peer->user->name);
    }
  mock_add_link (inv, "conversation", conv);
  mock_add_link (inv, "messaging", messaging);
  if (view->outgoing && view->state == MOCK_VIEW_CONNECTING)
    {
      g_autofree char *cancel = mock_view_href (view, "/messaging/terminate");
      mock_add_link (inv, "cancel", cancel);
    }
  if (!view->outgoing && view->state == MOCK_VIEW_INCOMING)
    {
      g_autofree char *accept = g_strconcat (self, "/accept", NULL);
      g_autofree char *decline = g_strconcat (self, "/decline", NULL);
      mock_add_link (inv, "accept", accept);
      mock_add_link (inv, "decline", decline);
    }
  if (session->first_message_uri)
    mock_add_link (inv, "message", session->first_message_uri);
  if (!view->outgoing && peer)
    mock_embed (inv, "from", mock_participant_resource (view, peer->user));
  return inv;
}

/* Pushes @ev with sender `communication` or `conversation` of @view. */
static void
push_comm (MockView *view, JsonObject *ev)
{
  g_autofree char *comm = mock_app_href (view->app, "/communication");
  mock_events_push (view->app, "communication", comm, ev);
}

static void
push_conv (MockView *view, JsonObject *ev)
{
  g_autofree char *conv = mock_view_href (view, NULL);
  mock_events_push (view->app, "conversation", conv, ev);
}

static JsonObject *
event_embedding (const char *type, const char *rel, const char *href,
                 const char *title, JsonObject *child)
{
  JsonObject *ev = mock_event_new (type, rel, href, title);
  mock_event_embed (ev, rel, child);
  return ev;
}

static void
push_invitation_event (MockView *view, const char *type)
{
  g_autofree char *inv = invitation_href (view);
  push_comm (view, event_embedding (type, "messagingInvitation", inv, NULL,
                                    mock_view_invitation (view)));
}

static void
push_conversation_event (MockView *view, const char *type)
{
  g_autofree char *conv = mock_view_href (view, NULL);
  push_comm (view, event_embedding (type, "conversation", conv, NULL,
                                    mock_view_conversation (view)));
}

static void
push_messaging_event (MockView *view)
{
  g_autofree char *messaging = mock_view_href (view, "/messaging");
  push_conv (view, event_embedding ("updated", "messaging", messaging, NULL,
                                    mock_view_messaging (view)));
}

static void
push_local_participant_added (MockView *view)
{
  g_autofree char *local = mock_view_participant_href (view, view->user);
  push_conv (view, event_embedding ("added", "localParticipant", local, view->user->name,
                                    mock_participant_resource (view, view->user)));
}

/* SendAnIM.md package A. */
void
mock_view_push_outgoing_started (MockView *view)
{
  push_invitation_event (view, "started");
  push_conversation_event (view, "added");
  push_local_participant_added (view);
  push_messaging_event (view);
}

/* ReceiveAnIM.md packages 1 and 2 (sent together). */
void
mock_view_push_incoming_invitation (MockView *view, MockView *from)
{
  push_invitation_event (view, "started");
  push_conversation_event (view, "added");
  push_local_participant_added (view);
  g_autofree char *peer = mock_view_participant_href (view, from->user);
  push_conv (view, mock_event_new ("added", "participant", peer, from->user->name));
  view->peer_added = TRUE;
}

static void
push_participant_messaging (MockView *view, MockUser *user, gboolean local)
{
  g_autofree char *part = mock_view_participant_href (view, user);
  g_autofree char *pm = g_strconcat (part, "/messaging", NULL);
  /* SendAnIM.md titles the remote participant "" and the local one by name. */
  const char *title = local ? user->name : "";
  JsonObject *ev = mock_event_new ("added", "participantMessaging", pm, NULL);
  mock_event_set_in (ev, local ? "localParticipant" : "participant", part, title);
  if (local)
    {
      JsonObject *res = mock_resource_new ("participantMessaging", pm);
      mock_add_link_titled (res, "participant", part, user->name);
      mock_event_embed (ev, "participantMessaging", res);
    }
  push_conv (view, ev);
}

/* SendAnIM.md package B (outgoing) or the ReceiveAnIM.md accept events. */
void
mock_view_push_connected (MockView *view, MockView *peer)
{
  view->state = MOCK_VIEW_CONNECTED;
  g_autofree char *peer_href = mock_view_participant_href (view, peer->user);
  g_autofree char *inv_href = invitation_href (view);
  JsonObject *inv = mock_view_invitation (view);
  if (view->outgoing)
    {
      push_conversation_event (view, "updated");
      push_conv (view, mock_event_new ("added", "participant", peer_href, ""));
      view->peer_added = TRUE;
      push_participant_messaging (view, peer->user, FALSE);
      push_participant_messaging (view, view->user, TRUE);
      push_messaging_event (view);
      JsonArray *accepted = json_array_new ();
      json_array_add_object_element (accepted, mock_participant_resource (view, peer->user));
      JsonObject *embedded = json_object_has_member (inv, "_embedded")
                             ? json_object_get_object_member (inv, "_embedded") : NULL;
      if (!embedded)
        {
          embedded = json_object_new ();
          json_object_set_object_member (inv, "_embedded", embedded);
        }
      json_object_set_array_member (embedded, "acceptedByParticipant", accepted);
    }
  else
    {
      /* ReceiveAnIM.md: the answered invitation, without accept/decline. */
      view->state = MOCK_VIEW_CONNECTING;
      push_invitation_event (view, "updated");
      view->state = MOCK_VIEW_CONNECTED;
      push_messaging_event (view);
      push_conversation_event (view, "updated");
      push_participant_messaging (view, view->user, TRUE);
      push_participant_messaging (view, peer->user, FALSE);
      push_conv (view, mock_event_new ("updated", "participant", peer_href, peer->user->name));
    }
  JsonObject *ev = event_embedding ("completed", "messagingInvitation", inv_href, NULL, inv);
  mock_event_set_status (ev, "Success", NULL);
  push_comm (view, ev);
}

void
mock_view_push_invitation_failed (MockView *view, JsonObject *reason)
{
  view->state = MOCK_VIEW_DISCONNECTED;
  g_autofree char *inv_href = invitation_href (view);
  JsonObject *ev = event_embedding ("completed", "messagingInvitation", inv_href, NULL,
                                    mock_view_invitation (view));
  mock_event_set_status (ev, "Failure", reason);
  push_comm (view, ev);
}

/* message_ref.md; SendAnIM.md (Outgoing) and ReceiveAnIM.md (Incoming). */
void
mock_view_push_message (MockView *view, MockView *sender, const char *text,
                        const char *operation_id, JsonObject *failure_reason,
                        char **location)
{
  g_autofree char *number = g_strdup_printf ("/messaging/messages/%u", ++view->next_message);
  g_autofree char *href = mock_view_href (view, number);
  g_autofree char *messaging = mock_view_href (view, "/messaging");
  g_autofree char *date = mock_date_now ();
  JsonObject *message = mock_resource_new ("message", href);
  json_object_set_string_member (message, "timeStamp", date);
  mock_add_link (message, "messaging", messaging);
  if (view == sender)
    {
      json_object_set_string_member (message, "direction", "Outgoing");
      if (operation_id)
        json_object_set_string_member (message, "operationId", operation_id);
      MockView *peer = mock_session_peer_of (view->session, view);
      if (failure_reason && peer)
        {
          JsonArray *failed = json_array_new ();
          g_autofree char *peer_href = mock_view_participant_href (view, peer->user);
          json_array_add_object_element (failed, mock_link (peer_href, peer->user->name));
          json_object_set_array_member (json_object_get_object_member (message, "_links"),
                                        "failedDeliveryParticipant", failed);
        }
    }
  else
    {
      json_object_set_string_member (message, "direction", "Incoming");
      g_autofree char *contact = mock_app_href (view->app, "/people/%s", sender->user->address);
      g_autofree char *participant = mock_view_participant_href (view, sender->user);
      g_autofree char *uri = mock_data_uri_encode (view->session->server, text);
      mock_add_link (message, "contact", contact);
      mock_add_link_titled (message, "participant", participant, sender->user->name);
      mock_add_link (message, "plainMessage", uri);
    }
  JsonObject *ev = event_embedding ("completed", "message", href, NULL, message);
  mock_event_set_status (ev, failure_reason ? "Failure" : "Success", failure_reason);
  push_conv (view, ev);
  if (location)
    *location = g_steal_pointer (&href);
}

/* typingParticipants_ref.md */
void
mock_view_push_typing (MockView *view, MockView *typist, gboolean typing)
{
  g_autofree char *part = mock_view_participant_href (view, typist->user);
  g_autofree char *typers = mock_view_href (view, "/messaging/typingParticipants");
  JsonObject *ev = mock_event_new (typing ? "added" : "deleted", "participant", part,
                                   typist->user->name);
  mock_event_set_in (ev, "typingParticipants", typers, NULL);
  push_conv (view, ev);
}

/* No teardown trace exists (stopMessaging_ref.md names none); we send:
 * updated messaging (Disconnected), deleted participant (the peer, if it was
 * added), updated conversation (Disconnected), deleted conversation. */
void
mock_view_push_teardown (MockView *view)
{
  MockView *peer = mock_session_peer_of (view->session, view);
  view->state = MOCK_VIEW_DISCONNECTED;
  if (view->app)
    {
      push_messaging_event (view);
      if (peer && view->peer_added)
        {
          g_autofree char *peer_href = mock_view_participant_href (view, peer->user);
          push_conv (view, mock_event_new ("deleted", "participant", peer_href, NULL));
        }
      push_conversation_event (view, "updated");
      g_autofree char *conv = mock_view_href (view, NULL);
      push_comm (view, mock_event_new ("deleted", "conversation", conv, NULL));
    }
  view_forget_ids (view);
}

/* Ends @session: every party still in it sees the teardown.  Frees it. */
void
mock_session_end (MockSession *session)
{
  if (session->ended)
    return;
  session->ended = TRUE;
  for (guint i = 0; i < session->views->len; i++)
    {
      MockView *view = g_ptr_array_index (session->views, i);
      if (view->state == MOCK_VIEW_DISCONNECTED)
        continue;
      if (view->app && view->state != MOCK_VIEW_CONNECTED)
        mock_view_push_invitation_failed (view, mock_reason_new ("Gone", "Canceled",
            "The conversation ended before the invitation was answered."));
      mock_view_push_teardown (view);
    }
  mock_session_free (session);
}

/* @app is going away: drop its views; end the sessions it was part of
 * unless another application of the same user is still invited. */
void
mock_session_detach_app (MockApp *app)
{
  MockServer *server = app->server;
  for (guint i = server->sessions->len; i > 0; i--)
    {
      if (i > server->sessions->len)
        continue;
      MockSession *session = g_ptr_array_index (server->sessions, i - 1);
      gboolean involved = FALSE, others_invited = FALSE;
      for (guint v = session->views->len; v > 0; v--)
        {
          MockView *view = g_ptr_array_index (session->views, v - 1);
          if (view->app == app)
            {
              involved = TRUE;
              view_forget_ids (view);
              view->state = MOCK_VIEW_DISCONNECTED;
              if (!view->outgoing)
                {
                  g_ptr_array_remove_index (session->views, v - 1);
                  view_free (view);
                }
              else
                view->app = NULL;
            }
          else if (view->app && view->user == app->user && view->state == MOCK_VIEW_INCOMING)
            others_invited = TRUE;
        }
      if (involved && !others_invited)
        mock_session_end (session);
    }
}
