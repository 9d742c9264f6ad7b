/* ucwa-messaging-events.c: what the event channel says about conversations.
 *
 * Rows of the client's dispatch table for invitations, conversations, the
 * messaging modality, messages and typing.  Every handler is an idempotent
 * upsert: the server may merge, repeat or drop intermediate events.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ucwa-data-uri.h"
#include "ucwa-messaging-private.h"
#include "ucwa-resource.h"

/* NULL once the client stopped: a listener may end it in the middle of
 * an answer, and the events after that one find no state to work on. */
static UcwaMessaging *
messaging_of (gpointer user_data)
{
  UcwaClient *client = user_data;

  return ucwa_client_is_live (client) ? client->messaging : NULL;
}

/* Turns server HTML into text; only for a server that sends HTML although
 * we asked for Plain.  Tags go, the five XML entities and numeric ones are
 * decoded, and the result is valid UTF-8. */
static char *
html_to_text (const char *html)
{
  GString *text = g_string_new (NULL);
  const char *p = html;

  while (*p != '\0')
    {
      if (*p == '<')
        {
          if (g_ascii_strncasecmp (p, "<br", 3) == 0)
            g_string_append_c (text, '\n');
          const char *close = strchr (p, '>');

          p = close ? close + 1 : p + strlen (p);
          continue;
        }
      if (*p == '&')
        {
          static const struct { const char *name; const char *value; } entities[] = {
            { "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" },
            { "&quot;", "\"" }, { "&apos;", "'" }, { "&nbsp;", " " },
          };
          gboolean done = FALSE;

          for (gsize i = 0; i < G_N_ELEMENTS (entities) && !done; i++)
            if (g_str_has_prefix (p, entities[i].name))
              {
                g_string_append (text, entities[i].value);
                p += strlen (entities[i].name);
                done = TRUE;
              }
          if (!done && p[1] == '#')
            {
              char *end = NULL;
              gboolean hex = p[2] == 'x' || p[2] == 'X';
              gunichar c = g_ascii_strtoull (p + (hex ? 3 : 2), &end, hex ? 16 : 10);

              if (end != NULL && *end == ';' && g_unichar_validate (c) && c != 0)
                {
                  g_string_append_unichar (text, c);
                  p = end + 1;
                  done = TRUE;
                }
            }
          if (done)
            continue;
        }
      g_string_append_c (text, *p++);
    }
  return g_string_free (text, FALSE);
}

/* The text of a message or invitation resource: plainMessage, else
 * htmlMessage, else the invitation's `message` link; NULL if none. */
static char *
message_text (JsonObject *resource)
{
  static const char *const rels[] = { "plainMessage", "message", "htmlMessage" };

  for (gsize i = 0; i < G_N_ELEMENTS (rels); i++)
    {
      const char *uri = ucwa_resource_get_link (resource, rels[i]);
      g_autofree char *type = NULL;
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;

      if (uri == NULL)
        continue;
      text = ucwa_data_uri_decode (uri, &type, &error);
      if (text == NULL)
        {
          g_message ("undecodable %s: %s", rels[i], error->message);
          continue;
        }
      if (g_strcmp0 (type, "text/html") == 0)
        {
          g_autofree char *plain = html_to_text (text);
          return g_utf8_make_valid (plain, -1);
        }
      return g_steal_pointer (&text);
    }
  return NULL;
}

static void
deliver (UcwaMessaging    *messaging,
         UcwaConversation *conversation,
         const char       *text,
         gint64            timestamp)
{
  UcwaClient *client = messaging->client;

  if (client->listener.im_received != NULL)
    client->listener.im_received (client, conversation->peer,
                                  conversation->peer_name ? conversation->peer_name
                                                          : conversation->peer,
                                  text,
                                  timestamp ? timestamp : g_get_real_time () / G_USEC_PER_SEC,
                                  client->listener_data);
}

static void
on_accepted (UcwaResponse *response,
             const GError *error,
             gpointer      user_data)
{
  UcwaPersonCall *call = user_data;
  UcwaClient *client = call->client;
  const char *peer = call->address;
  UcwaConversation *conversation;

  if (error == NULL)
    return;
  g_message ("accepting the conversation with %s failed: %s", peer, error->message);
  conversation = ucwa_messaging_find_peer (client->messaging, peer);
  if (conversation != NULL)
    ucwa_conversation_end (client->messaging, conversation);
}


/* ReceiveAnIM.md: show the invitation's message and accept at once. */
static void
handle_incoming_invitation (UcwaMessaging   *messaging,
                            const UcwaEvent *event,
                            const char      *href)
{
  JsonObject *invitation = event->resource;
  JsonObject *from = ucwa_resource_get_embedded (invitation, "from");
  const char *from_uri = ucwa_resource_get_string (from, "uri");
  const char *accept = ucwa_resource_get_link (invitation, "accept");
  const char *conversation_href = ucwa_resource_get_link (invitation, "conversation");
  g_autofree char *peer = ucwa_uri_to_address (from_uri);
  g_autofree char *text = NULL;
  UcwaConversation *conversation;

  if (peer == NULL || accept == NULL || conversation_href == NULL)
    {
      g_message ("incoming invitation without sender, accept or conversation: ignored");
      return;
    }

  conversation = ucwa_messaging_get_peer (messaging, peer);
  if (ucwa_href_equal (conversation->invitation_href, href))
    return; /* a repeat of one we already took */

  /* The peer opened a new conversation: the old one is over for us, and
   * what we queued goes to the new one once it is connected. */
  if (conversation->conversation_href != NULL
      && !ucwa_href_equal (conversation->conversation_href, conversation_href))
    ucwa_conversation_forget (messaging, conversation);

  g_free (conversation->peer_name);
  conversation->peer_name = g_strdup (ucwa_resource_get_string (from, "name"));
  ucwa_messaging_replace_href (messaging, &conversation->invitation_href, href);
  ucwa_conversation_set_href (messaging, conversation, conversation_href);
  if (conversation->state == CONVERSATION_IDLE)
    conversation->state = CONVERSATION_CONNECTING;

  ucwa_client_post_json (messaging->client, accept, NULL, on_accepted,
                         ucwa_person_call_new (messaging->client, peer),
                         ucwa_person_call_free);

  /* Last: the listener may end the client. */
  text = message_text (invitation);
  if (text != NULL)
    {
      g_free (conversation->incoming_first_text);
      conversation->incoming_first_text = g_strdup (text);
      deliver (messaging, conversation, text, 0);
    }
}

static void
on_invitation (const UcwaEvent *event,
               gpointer         user_data)
{
  UcwaMessaging *messaging = messaging_of (user_data);
  UcwaClient *client = user_data;
  g_autofree char *href = ucwa_client_resolve (client, event->link_href);
  const char *operation_id = ucwa_resource_get_string (event->resource, "operationId");
  const char *direction = ucwa_resource_get_string (event->resource, "direction");
  UcwaConversation *conversation;

  if (messaging == NULL)
    return;
  conversation = ucwa_messaging_find_invitation (messaging, operation_id, href);
  if (conversation != NULL && event->resource != NULL)
    {
      const char *conversation_href = ucwa_resource_get_link (event->resource,
                                                              "conversation");
      ucwa_messaging_replace_href (messaging, &conversation->invitation_href, href);
      if (conversation_href != NULL)
        ucwa_conversation_set_href (messaging, conversation, conversation_href);
    }

  /* Ours: the registry settles it, whether or not its 201 came yet. */
  if (ucwa_operations_handle_event (client->operations, event->type, href, event->status,
                                    event->reason, event->resource))
    return;

  if (g_strcmp0 (direction, "Incoming") == 0 && g_strcmp0 (event->type, "started") == 0)
    {
      handle_incoming_invitation (messaging, event, href);
      return;
    }

  /* An incoming invitation that failed (say, answered elsewhere). */
  if (conversation != NULL && g_strcmp0 (event->type, "completed") == 0
      && g_strcmp0 (event->status, "Success") != 0
      && conversation->invitation_operation == NULL)
    ucwa_conversation_end (messaging, conversation);
}

static void
on_conversation (const UcwaEvent *event,
                 gpointer         user_data)
{
  UcwaMessaging *messaging = messaging_of (user_data);
  UcwaConversation *conversation = messaging ? ucwa_messaging_find_href (messaging, event->link_href) : NULL;
  const char *state = ucwa_resource_get_string (event->resource, "state");

  if (conversation == NULL)
    return;
  if (g_strcmp0 (event->type, "deleted") == 0 || g_strcmp0 (state, "Disconnected") == 0)
    ucwa_conversation_end (messaging, conversation);
}

static void
on_messaging (const UcwaEvent *event,
              gpointer         user_data)
{
  UcwaMessaging *messaging = messaging_of (user_data);
  UcwaConversation *conversation = messaging ? ucwa_messaging_find_href (messaging, event->sender_href) : NULL;
  JsonObject *resource = event->resource;
  const char *state = ucwa_resource_get_string (resource, "state");

  if (conversation == NULL || resource == NULL)
    return;
  if (g_strcmp0 (state, "Disconnected") == 0)
    {
      ucwa_conversation_end (messaging, conversation);
      return;
    }

  /* A link present is a capability now: take them as they come and go. */
  ucwa_messaging_replace_href (messaging, &conversation->send_message_href,
                               ucwa_resource_get_link (resource, "sendMessage"));
  ucwa_messaging_replace_href (messaging, &conversation->set_typing_href,
                               ucwa_resource_get_link (resource, "setIsTyping"));
  ucwa_messaging_replace_href (messaging, &conversation->stop_messaging_href,
                               ucwa_resource_get_link (resource, "stopMessaging"));
  if (g_strcmp0 (state, "Connected") == 0 && conversation->send_message_href != NULL)
    {
      conversation->state = CONVERSATION_CONNECTED;
      /* Our own invitation's text is settled by its completion first. */
      ucwa_conversation_send_next (messaging, conversation);
    }
}

/* The address at the end of a `contact` or `participant` href
 * (".../people/lenea@contoso.com"), or NULL. */
static char *
address_from_href (const char *href)
{
  const char *last = href ? strrchr (href, '/') : NULL;
  g_autofree char *segment = NULL;

  if (last == NULL)
    return NULL;
  segment = g_uri_unescape_segment (last + 1, NULL, NULL);
  if (segment == NULL || strchr (segment, '@') == NULL || strchr (segment, '?') != NULL)
    return NULL;
  return ucwa_uri_to_address (segment);
}

/* A message in a conversation we never saw start (its invitation may have
 * been aggregated away, or answered before a resume): rather than drop it,
 * take the sender from the message and the conversation from the event. */
static UcwaConversation *
adopt_conversation (UcwaMessaging   *messaging,
                    const UcwaEvent *event)
{
  g_autofree char *peer = address_from_href (ucwa_resource_get_link (event->resource,
                                                                     "contact"));
  const char *name = ucwa_resource_get_link_title (event->resource, "participant");
  UcwaConversation *conversation;

  if (peer == NULL)
    peer = address_from_href (ucwa_resource_get_link (event->resource, "participant"));
  if (peer == NULL || event->sender_href == NULL)
    {
      g_message ("message from an unknown conversation without a sender: dropped");
      return NULL;
    }

  conversation = ucwa_messaging_get_peer (messaging, peer);
  if (conversation->conversation_href == NULL)
    ucwa_conversation_set_href (messaging, conversation, event->sender_href);
  if (conversation->peer_name == NULL && name != NULL && *name != '\0')
    conversation->peer_name = g_strdup (name);
  return conversation;
}

static void
on_message (const UcwaEvent *event,
            gpointer         user_data)
{
  UcwaClient *client = user_data;
  UcwaMessaging *messaging = messaging_of (user_data);
  g_autofree char *href = ucwa_client_resolve (client, event->link_href);
  const char *direction = ucwa_resource_get_string (event->resource, "direction");
  UcwaConversation *conversation;
  g_autofree char *text = NULL;

  if (messaging == NULL)
    return;
  if (ucwa_operations_handle_event (client->operations, event->type, href, event->status,
                                    event->reason, event->resource))
    return;
  if (g_strcmp0 (direction, "Incoming") != 0)
    {
      g_debug ("message event %s %s matches no operation", event->type, href);
      return;
    }

  conversation = ucwa_messaging_find_href (messaging, event->sender_href);
  if (conversation == NULL)
    conversation = adopt_conversation (messaging, event);
  if (conversation == NULL || g_hash_table_contains (conversation->seen_messages, href))
    return;
  text = message_text (event->resource);
  if (text == NULL)
    return;
  g_hash_table_add (conversation->seen_messages, g_steal_pointer (&href));

  /* The server may repeat the invitation's message as the first message. */
  if (conversation->incoming_first_text != NULL)
    {
      gboolean repeat = g_strcmp0 (conversation->incoming_first_text, text) == 0;

      g_clear_pointer (&conversation->incoming_first_text, g_free);
      if (repeat)
        return;
    }
  deliver (messaging, conversation, text,
           ucwa_parse_date (ucwa_resource_get_string (event->resource, "timeStamp")));
}

static void
on_typing (const UcwaEvent *event,
           gpointer         user_data)
{
  UcwaMessaging *messaging = messaging_of (user_data);
  UcwaConversation *conversation = messaging ? ucwa_messaging_find_href (messaging, event->sender_href) : NULL;
  UcwaClient *client = user_data;

  if (conversation == NULL || client->listener.typing_changed == NULL)
    return;
  client->listener.typing_changed (client, conversation->peer,
                                   g_strcmp0 (event->type, "added") == 0,
                                   client->listener_data);
}

static void
on_participant (const UcwaEvent *event,
                gpointer         user_data)
{
  UcwaMessaging *messaging = messaging_of (user_data);
  UcwaConversation *conversation = messaging ? ucwa_messaging_find_href (messaging, event->sender_href) : NULL;

  /* The title of a participant link is the peer's display name. */
  if (conversation != NULL && event->link_title != NULL && *event->link_title != '\0'
      && g_strcmp0 (event->type, "deleted") != 0)
    {
      g_free (conversation->peer_name);
      conversation->peer_name = g_strdup (event->link_title);
    }
}

const UcwaDispatchRow ucwa_messaging_rows[] = {
  { "communication", "messagingInvitation", NULL, NULL, on_invitation },
  { "communication", "conversation", NULL, NULL, on_conversation },
  { "conversation", "messaging", "updated", NULL, on_messaging },
  { "conversation", "message", NULL, NULL, on_message },
  { "conversation", "participant", NULL, "typingParticipants", on_typing },
  { "conversation", "participant", NULL, NULL, on_participant },
  { NULL, NULL, NULL, NULL, NULL },
};
