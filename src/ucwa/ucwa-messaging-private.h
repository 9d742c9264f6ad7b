/* ucwa-messaging-private.h: what the messaging files share.
 *
 * ucwa-messaging.c sends (invitations, messages, typing); ucwa-messaging-
 * events.c reacts to the event channel.  Both work on these structures.
 */
#pragma once

#include "ucwa-client-private.h"

G_BEGIN_DECLS

typedef enum {
  CONVERSATION_IDLE,       /* nothing on the server */
  CONVERSATION_CONNECTING, /* invitation out, or incoming one being accepted */
  CONVERSATION_CONNECTED,  /* messaging Connected: sendMessage works */
} ConversationState;

typedef struct {
  UcwaMessaging     *messaging;
  char              *peer;
  char              *peer_name;
  ConversationState  state;
  char              *conversation_href;   /* absolute, indexed in by_href */
  char              *invitation_href;
  char              *invitation_operation; /* our pending invitation, if any */
  char              *send_message_href;
  char              *set_typing_href;
  char              *stop_messaging_href;
  char              *incoming_first_text; /* theirs, to drop a repeat of it */
  GQueue             queue;               /* texts waiting to be sent */
  char              *posting_operation;   /* the one sendMessage in flight */
  gboolean           close_pending;       /* closed by the user while busy */
  GHashTable        *seen_messages;       /* incoming message hrefs shown */
} UcwaConversation;

struct _UcwaMessaging {
  UcwaClient *client;
  GHashTable *by_peer;  /* address -> UcwaConversation, owns */
  GHashTable *by_href;  /* conversation href -> UcwaConversation */
};

UcwaConversation   *ucwa_messaging_find_peer  (UcwaMessaging *messaging,
                                               const char    *peer);
UcwaConversation   *ucwa_messaging_get_peer   (UcwaMessaging *messaging,
                                               const char    *peer);
UcwaConversation   *ucwa_messaging_find_href  (UcwaMessaging *messaging,
                                               const char    *href);
/* Frees *@field and stores @href resolved against the application. */
void ucwa_messaging_replace_href (UcwaMessaging  *messaging,
                                  char          **field,
                                  const char     *href);
void ucwa_conversation_set_href (UcwaMessaging    *messaging,
                                 UcwaConversation *conversation,
                                 const char       *href);
/* Sends on what is queued, one text at a time so that order holds: to
 * sendMessage when Connected, in a new invitation when idle, nothing while
 * an invitation or a sendMessage is in flight; with nothing left, does a
 * close the user asked for meanwhile (which frees @conversation). */
void ucwa_conversation_send_next (UcwaMessaging    *messaging,
                                  UcwaConversation *conversation);
/* Drops what the server knew about the conversation (its hrefs, state),
 * silently; the queue stays. */
void ucwa_conversation_forget   (UcwaMessaging    *messaging,
                                 UcwaConversation *conversation);
/* The server forgot the conversation: forget it, let queued texts start a
 * new one, and tell the listener (which may free @conversation). */
void ucwa_conversation_end      (UcwaMessaging    *messaging,
                                 UcwaConversation *conversation);
/* An invitation of ours this event is about (by operationId or href). */
UcwaConversation *ucwa_messaging_find_invitation (UcwaMessaging *messaging,
                                                  const char    *operation_id,
                                                  const char    *href);

G_END_DECLS
