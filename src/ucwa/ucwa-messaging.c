/* ucwa-messaging.c: two-party conversations and their messaging modality.
 *
 * One UcwaConversation per peer.  The first message to an idle peer starts a
 * conversation with a messagingInvitation that carries it (SendAnIM.md);
 * messages typed meanwhile wait in a queue and go to `sendMessage` one at
 * a time, in order, once messaging is Connected.  An incoming invitation is
 * accepted at once and its message shown (ReceiveAnIM.md).  Every operation
 * goes through the registry, so its outcome is right whichever of its 201
 * and its events comes first.  Operation and request callbacks find their
 * conversation again by peer, never by pointer: a conversation may be gone
 * by the time they run.  Every text is reported sent or failed, once.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ucwa-client-private.h"
#include "ucwa-data-uri.h"
#include "ucwa-messaging-private.h"
#include "ucwa-resource.h"

static void start_invitation (UcwaMessaging *messaging, UcwaConversation *conversation);
static void stop_conversation (UcwaMessaging *messaging, UcwaConversation *conversation);

static void
conversation_free (UcwaConversation *conversation)
{
  g_free (conversation->peer);
  g_free (conversation->peer_name);
  g_free (conversation->conversation_href);
  g_free (conversation->invitation_href);
  g_free (conversation->invitation_operation);
  g_free (conversation->send_message_href);
  g_free (conversation->set_typing_href);
  g_free (conversation->stop_messaging_href);
  g_free (conversation->incoming_first_text);
  g_free (conversation->posting_operation);
  g_queue_clear_full (&conversation->queue, g_free);
  g_hash_table_unref (conversation->seen_messages);
  g_free (conversation);
}

UcwaMessaging *
ucwa_messaging_new (UcwaClient *client)
{
  UcwaMessaging *messaging = g_new0 (UcwaMessaging, 1);

  messaging->client = client;
  messaging->by_peer = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                              (GDestroyNotify) conversation_free);
  messaging->by_href = g_hash_table_new (ucwa_href_hash, (GEqualFunc) ucwa_href_equal);
  return messaging;
}

void
ucwa_messaging_free (UcwaMessaging *messaging)
{
  g_hash_table_unref (messaging->by_href);
  g_hash_table_unref (messaging->by_peer);
  g_free (messaging);
}

UcwaConversation *
ucwa_messaging_find_peer (UcwaMessaging *messaging,
              const char    *peer)
{
  g_autofree char *key = g_ascii_strdown (peer, -1);

  return g_hash_table_lookup (messaging->by_peer, key);
}

UcwaConversation *
ucwa_messaging_get_peer (UcwaMessaging *messaging,
                  const char    *peer)
{
  UcwaConversation *conversation = ucwa_messaging_find_peer (messaging, peer);

  if (conversation == NULL)
    {
      conversation = g_new0 (UcwaConversation, 1);
      conversation->messaging = messaging;
      conversation->peer = g_ascii_strdown (peer, -1);
      g_queue_init (&conversation->queue);
      conversation->seen_messages = g_hash_table_new_full (ucwa_href_hash,
                                                           (GEqualFunc) ucwa_href_equal,
                                                           g_free, NULL);
      g_hash_table_insert (messaging->by_peer, conversation->peer, conversation);
    }
  return conversation;
}

UcwaConversation *
ucwa_messaging_find_href (UcwaMessaging *messaging,
              const char    *href)
{
  g_autofree char *url = ucwa_client_resolve (messaging->client, href);

  return url ? g_hash_table_lookup (messaging->by_href, url) : NULL;
}

void
ucwa_conversation_set_href (UcwaMessaging    *messaging,
                       UcwaConversation *conversation,
                       const char       *href)
{
  g_autofree char *url = ucwa_client_resolve (messaging->client, href);

  if (url == NULL || ucwa_href_equal (url, conversation->conversation_href))
    return;
  if (conversation->conversation_href != NULL)
    g_hash_table_remove (messaging->by_href, conversation->conversation_href);
  g_free (conversation->conversation_href);
  conversation->conversation_href = g_steal_pointer (&url);
  g_hash_table_replace (messaging->by_href, conversation->conversation_href, conversation);
}

void
ucwa_messaging_replace_href (UcwaMessaging  *messaging,
              char          **field,
              const char     *href)
{
  g_free (*field);
  *field = ucwa_client_resolve (messaging->client, href);
}

/* Everything the server knew about the conversation is gone; texts still
 * queued are sent in a new one, so the user does not notice. */
void
ucwa_conversation_forget (UcwaMessaging    *messaging,
                          UcwaConversation *conversation)
{
  if (conversation->conversation_href != NULL)
    g_hash_table_remove (messaging->by_href, conversation->conversation_href);
  g_clear_pointer (&conversation->conversation_href, g_free);
  g_clear_pointer (&conversation->invitation_href, g_free);
  g_clear_pointer (&conversation->send_message_href, g_free);
  g_clear_pointer (&conversation->set_typing_href, g_free);
  g_clear_pointer (&conversation->stop_messaging_href, g_free);
  g_clear_pointer (&conversation->incoming_first_text, g_free);
  g_hash_table_remove_all (conversation->seen_messages);
  conversation->state = CONVERSATION_IDLE;
}

void
ucwa_conversation_end (UcwaMessaging    *messaging,
                       UcwaConversation *conversation)
{
  UcwaClient *client = messaging->client;
  gboolean was_active = conversation->state != CONVERSATION_IDLE;
  g_autofree char *peer = g_strdup (conversation->peer);

  ucwa_conversation_forget (messaging, conversation);

  /* A sendMessage or an invitation still in flight settles through its own
   * callback, which sends on; otherwise a new conversation starts now.
   * Either may call the listener, so @conversation is not touched after. */
  ucwa_conversation_send_next (messaging, conversation);

  /* Not while failing: the disconnection says it all. */
  if (was_active && ucwa_client_is_live (client) && client->listener.conversation_ended != NULL)
    client->listener.conversation_ended (client, peer, client->listener_data);
}

/* ---- outgoing messages ------------------------------------------------ */

/* One text on its way: a sendMessage, or the first message riding in an
 * invitation.  It names its client, not the messaging state: the registry
 * may settle it while the client stops and that state is gone. */
typedef struct {
  UcwaClient *client;
  char       *peer;
  char       *text;
  char       *operation_id;
  gboolean    requeued;  /* the conversation died: sent again elsewhere */
} UcwaOutgoing;

/* Shared by the registry entry and the POST: either may finish first. */
static void
outgoing_clear (gpointer data)
{
  UcwaOutgoing *outgoing = data;

  g_free (outgoing->peer);
  g_free (outgoing->text);
  g_free (outgoing->operation_id);
}

static void
outgoing_unref (gpointer data)
{
  g_rc_box_release_full (data, outgoing_clear);
}

static UcwaOutgoing *
outgoing_new (UcwaMessaging *messaging,
              const char    *peer,
              const char    *text)
{
  UcwaOutgoing *outgoing = g_rc_box_new0 (UcwaOutgoing);

  outgoing->client = messaging->client;
  outgoing->peer = g_strdup (peer);
  outgoing->text = g_strdup (text);
  return outgoing;
}

/* Outcomes are reported while the listener is attached, even when the
 * client is failing: the user must hear about every text. */
static void
report_sent (UcwaClient *client,
             const char *peer,
             const char *text)
{
  if (!client->shutting_down && client->listener.im_sent != NULL)
    client->listener.im_sent (client, peer, text, client->listener_data);
}

static void
report_failed (UcwaClient   *client,
               const char   *peer,
               const char   *text,
               const GError *error)
{
  g_debug ("message to %s not delivered: %s", peer, error->message);
  if (!client->shutting_down && client->listener.im_failed != NULL)
    client->listener.im_failed (client, peer, text, error, client->listener_data);
}

static void
on_message_done (const char   *operation_id,
                 JsonObject   *resource,
                 const GError *error,
                 gpointer      user_data)
{
  UcwaOutgoing *outgoing = user_data;
  UcwaClient *client = outgoing->client;
  UcwaConversation *conversation;

  if (client->shutting_down || outgoing->requeued)
    return;
  if (error != NULL)
    report_failed (client, outgoing->peer, outgoing->text, error);
  else
    report_sent (client, outgoing->peer, outgoing->text);

  /* Settled: the next text may go, unless only our timeout settled it and
   * its POST is still out (it says when it is done). */
  conversation = client->messaging && !client->shutting_down
                 ? ucwa_messaging_find_peer (client->messaging, outgoing->peer) : NULL;
  if (conversation != NULL && !g_error_matches (error, UCWA_ERROR, UCWA_ERROR_TIMEOUT)
      && g_strcmp0 (conversation->posting_operation, operation_id) == 0)
    {
      g_clear_pointer (&conversation->posting_operation, g_free);
      ucwa_conversation_send_next (client->messaging, conversation);
    }
}

static void
on_message_posted (UcwaResponse *response,
                   const GError *error,
                   gpointer      user_data)
{
  UcwaOutgoing *outgoing = user_data;
  UcwaMessaging *messaging = outgoing->client->messaging;
  UcwaOperations *operations = outgoing->client->operations;
  UcwaConversation *current = ucwa_messaging_find_peer (messaging, outgoing->peer);

  /* One sendMessage at a time keeps the order: the next may go now. */
  if (current != NULL
      && g_strcmp0 (current->posting_operation, outgoing->operation_id) == 0)
    g_clear_pointer (&current->posting_operation, g_free);

  if (error == NULL)
    {
      g_autofree char *location = ucwa_response_get_location (response);
      ucwa_operations_post_succeeded (operations, outgoing->operation_id, location);
      if (current != NULL)
        ucwa_conversation_send_next (messaging, current);
      return;
    }

  /* The conversation died under us (404, 409, 410): send the text again,
   * first in line, in a new conversation instead of failing it. */
  if (current != NULL
      && ucwa_operations_is_pending (operations, outgoing->operation_id)
      && (response->status == SOUP_STATUS_NOT_FOUND || response->status == SOUP_STATUS_CONFLICT
          || response->status == SOUP_STATUS_GONE))
    {
      g_debug ("conversation with %s is gone; sending in a new one", outgoing->peer);
      outgoing->requeued = TRUE;
      g_queue_push_head (&current->queue, g_strdup (outgoing->text));
      ucwa_operations_post_failed (operations, outgoing->operation_id, error);
      if (current->state == CONVERSATION_CONNECTED)
        ucwa_conversation_end (messaging, current);
      else
        ucwa_conversation_send_next (messaging, current);
      return;
    }
  ucwa_operations_post_failed (operations, outgoing->operation_id, error);
  if (current != NULL)
    ucwa_conversation_send_next (messaging, current);
}

static void
send_message (UcwaMessaging    *messaging,
              UcwaConversation *conversation,
              const char       *text)
{
  UcwaClient *client = messaging->client;
  UcwaOutgoing *outgoing = outgoing_new (messaging, conversation->peer, text);
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_autofree char *escaped = NULL;
  g_autofree char *href = NULL;

  outgoing->operation_id = g_strdup (ucwa_operations_register (client->operations,
                                                               on_message_done, outgoing,
                                                               outgoing_unref));
  conversation->posting_operation = g_strdup (outgoing->operation_id);
  escaped = g_uri_escape_string (outgoing->operation_id, NULL, FALSE);
  href = g_strdup_printf ("%s%soperationId=%s", conversation->send_message_href,
                          strchr (conversation->send_message_href, '?') ? "&" : "?",
                          escaped);
  ucwa_client_call (client, "POST", href, "text/plain;charset=UTF-8", body,
                    on_message_posted, g_rc_box_acquire (outgoing), outgoing_unref);
}

void
ucwa_conversation_send_next (UcwaMessaging    *messaging,
                             UcwaConversation *conversation)
{
  g_autofree char *text = NULL;

  if (!ucwa_client_is_live (messaging->client)
      || conversation->invitation_operation != NULL
      || conversation->posting_operation != NULL)
    return;
  if (g_queue_is_empty (&conversation->queue))
    {
      if (conversation->close_pending)
        stop_conversation (messaging, conversation);
      return;
    }

  if (conversation->state == CONVERSATION_CONNECTED
      && conversation->send_message_href != NULL)
    {
      text = g_queue_pop_head (&conversation->queue);
      send_message (messaging, conversation, text);
    }
  else if (conversation->state == CONVERSATION_IDLE)
    start_invitation (messaging, conversation);
}

/* ---- outgoing invitations ----------------------------------------------- */

static void
on_invitation_done (const char   *operation_id,
                    JsonObject   *resource,
                    const GError *error,
                    gpointer      user_data)
{
  UcwaOutgoing *invitation = user_data;
  UcwaClient *client = invitation->client;
  UcwaMessaging *messaging = client->messaging;
  UcwaConversation *conversation;

  if (client->shutting_down)
    return;
  conversation = messaging ? ucwa_messaging_find_peer (messaging, invitation->peer) : NULL;
  if (conversation != NULL
      && g_strcmp0 (conversation->invitation_operation, operation_id) != 0)
    conversation = NULL;
  if (conversation != NULL)
    g_clear_pointer (&conversation->invitation_operation, g_free);

  if (error == NULL)
    {
      report_sent (client, invitation->peer, invitation->text);
      if (conversation != NULL && !client->shutting_down)
        ucwa_conversation_send_next (messaging, conversation);
      return;
    }

  /* Nothing reached the peer: tell the user about every text, in order.
   * The conversation is settled first, since a listener may close it. */
  if (conversation != NULL && !client->shutting_down)
    {
      GQueue queued = G_QUEUE_INIT;
      char *text;

      while ((text = g_queue_pop_head (&conversation->queue)) != NULL)
        g_queue_push_tail (&queued, text);
      ucwa_conversation_end (messaging, conversation);
      report_failed (client, invitation->peer, invitation->text, error);
      while ((text = g_queue_pop_head (&queued)) != NULL)
        {
          report_failed (client, invitation->peer, text, error);
          g_free (text);
        }
      return;
    }
  report_failed (client, invitation->peer, invitation->text, error);
}

static void
on_invitation_posted (UcwaResponse *response,
                      const GError *error,
                      gpointer      user_data)
{
  UcwaOutgoing *invitation = user_data;
  UcwaOperations *operations = invitation->client->operations;

  if (error != NULL)
    ucwa_operations_post_failed (operations, invitation->operation_id, error);
  else
    {
      g_autofree char *location = ucwa_response_get_location (response);
      ucwa_operations_post_succeeded (operations, invitation->operation_id, location);
    }
}

static JsonNode *
invitation_body (const char *operation_id,
                 const char *peer,
                 const char *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *to = ucwa_address_to_uri (peer);
  g_autofree char *message = ucwa_data_uri_encode ("text/plain", text);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "operationId");
  json_builder_add_string_value (builder, operation_id);
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, to);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, "");
  json_builder_set_member_name (builder, "importance");
  json_builder_add_string_value (builder, "Normal");
  /* The first message rides in the invitation, as SendAnIM.md shows. */
  json_builder_set_member_name (builder, "_links");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "href");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
start_invitation (UcwaMessaging    *messaging,
                  UcwaConversation *conversation)
{
  UcwaClient *client = messaging->client;
  JsonObject *communication = ucwa_resource_get_embedded (client->application,
                                                          "communication");
  const char *href = ucwa_resource_get_link (communication, "startMessaging");
  g_autofree char *text = g_queue_pop_head (&conversation->queue);
  UcwaOutgoing *invitation;
  g_autoptr(JsonNode) body = NULL;
  const char *operation_id;

  if (text == NULL)
    return;

  /* Registered before the POST goes out: its events may come first. */
  invitation = outgoing_new (messaging, conversation->peer, text);
  operation_id = ucwa_operations_register (client->operations, on_invitation_done,
                                           invitation, outgoing_unref);
  invitation->operation_id = g_strdup (operation_id);
  conversation->invitation_operation = g_strdup (operation_id);
  conversation->state = CONVERSATION_CONNECTING;

  if (href == NULL)
    {
      g_autoptr(GError) error = g_error_new (UCWA_ERROR, UCWA_ERROR_PROTOCOL,
                                             _("The server offers no way to start a conversation"));
      ucwa_operations_post_failed (client->operations, operation_id, error);
      return;
    }

  body = invitation_body (operation_id, conversation->peer, text);
  ucwa_client_post_json (client, href, body, on_invitation_posted,
                         g_rc_box_acquire (invitation), outgoing_unref);
}

void
ucwa_messaging_send (UcwaMessaging *messaging,
                     const char    *peer,
                     const char    *text)
{
  UcwaConversation *conversation = ucwa_messaging_get_peer (messaging, peer);

  conversation->close_pending = FALSE; /* writing again reopens it */
  g_queue_push_tail (&conversation->queue, g_strdup (text));
  ucwa_conversation_send_next (messaging, conversation);
}

static void
on_posted_quietly (UcwaResponse *response,
                   const GError *error,
                   gpointer      user_data)
{
  const char *what = user_data;

  if (error != NULL)
    g_debug ("%s failed: %s", what, error->message);
}

void
ucwa_messaging_set_typing (UcwaMessaging *messaging,
                           const char    *peer,
                           gboolean       typing)
{
  UcwaConversation *conversation = ucwa_messaging_find_peer (messaging, peer);

  /* UCWA has no "stopped typing": the server's short timer runs out when
   * the notifications stop. */
  if (!typing || conversation == NULL || conversation->set_typing_href == NULL)
    return;
  ucwa_client_post_json (messaging->client, conversation->set_typing_href, NULL,
                         on_posted_quietly, (gpointer) "setIsTyping", NULL);
}

/* Ends the conversation on the server and forgets it. */
static void
stop_conversation (UcwaMessaging    *messaging,
                   UcwaConversation *conversation)
{
  if (conversation->stop_messaging_href != NULL)
    ucwa_client_post_json (messaging->client, conversation->stop_messaging_href, NULL,
                           on_posted_quietly, (gpointer) "stopMessaging", NULL);
  else if (conversation->conversation_href != NULL)
    ucwa_client_call (messaging->client, "DELETE", conversation->conversation_href,
                      NULL, NULL, on_posted_quietly, (gpointer) "DELETE conversation", NULL);
  if (conversation->conversation_href != NULL)
    g_hash_table_remove (messaging->by_href, conversation->conversation_href);
  g_hash_table_remove (messaging->by_peer, conversation->peer);
}

void
ucwa_messaging_close (UcwaMessaging *messaging,
                      const char    *peer)
{
  UcwaConversation *conversation = ucwa_messaging_find_peer (messaging, peer);

  if (conversation == NULL)
    return;
  /* Texts still on their way go first; the last one to settle closes. */
  if (conversation->invitation_operation != NULL || conversation->posting_operation != NULL
      || !g_queue_is_empty (&conversation->queue))
    {
      conversation->close_pending = TRUE;
      return;
    }
  stop_conversation (messaging, conversation);
}

void
ucwa_messaging_forget_all (UcwaMessaging *messaging)
{
  UcwaClient *client = messaging->client;
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  /* By name: ending one calls the listener, which may end the client. */
  g_hash_table_iter_init (&iter, messaging->by_peer);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (peers, g_strdup (key));
  for (guint i = 0; i < peers->len && ucwa_client_is_live (client); i++)
    {
      UcwaConversation *conversation = ucwa_messaging_find_peer (client->messaging,
                                                                 peers->pdata[i]);

      if (conversation != NULL && conversation->state != CONVERSATION_IDLE)
        ucwa_conversation_end (client->messaging, conversation);
    }
}

GPtrArray *
ucwa_messaging_take_queued (UcwaMessaging *messaging)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GHashTableIter iter;
  UcwaConversation *conversation;

  g_hash_table_iter_init (&iter, messaging->by_peer);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conversation))
    {
      char *text;

      while ((text = g_queue_pop_head (&conversation->queue)) != NULL)
        {
          char **pair = g_new0 (char *, 3);

          pair[0] = g_strdup (conversation->peer);
          pair[1] = text;
          g_ptr_array_add (texts, pair);
        }
    }
  return texts;
}

UcwaConversation *
ucwa_messaging_find_invitation (UcwaMessaging *messaging,
                                const char    *operation_id,
                                const char    *href)
{
  GHashTableIter iter;
  UcwaConversation *conversation;

  g_hash_table_iter_init (&iter, messaging->by_peer);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conversation))
    {
      if (operation_id != NULL
          && g_strcmp0 (conversation->invitation_operation, operation_id) == 0)
        return conversation;
      if (href != NULL && ucwa_href_equal (conversation->invitation_href, href))
        return conversation;
    }
  return NULL;
}
