/* im.c: two-party instant messages both ways, typing both ways, failed
 * sends and closed conversation windows. */
#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>

#include "ucwa-purple.h"

static UcwaClient *
ucwa_purple_client_for (PurpleConnection *gc)
{
  UcwaPurpleConnection *conn = ucwa_purple_connection_get (gc);

  return conn != NULL ? conn->client : NULL;
}

int
ucwa_purple_send_im (PurpleConnection *gc, const char *who,
                     const char *message, PurpleMessageFlags flags)
{
  UcwaClient *client = ucwa_purple_client_for (gc);
  g_autofree char *text = NULL;

  g_return_val_if_fail (who != NULL && message != NULL, -EINVAL);
  if (client == NULL)
    return -ENOTCONN;

  text = ucwa_purple_markup_to_text (message);
  if (*text == '\0')
    return 0;

  purple_debug_misc (UCWA_PURPLE_DEBUG_CATEGORY, "sending an IM to %s\n", who);
  ucwa_client_send_im (client, who, text);
  /* 1: purple shows the message now; a failure is written in later. */
  return 1;
}

unsigned int
ucwa_purple_send_typing (PurpleConnection *gc, const char *who,
                         PurpleTypingState state)
{
  UcwaClient *client = ucwa_purple_client_for (gc);

  if (client != NULL && who != NULL)
    ucwa_client_set_typing (client, who, state == PURPLE_TYPING);
  /* purple sends PURPLE_TYPING again after this many seconds of typing,
   * which keeps the server's typing timer running. */
  return state == PURPLE_TYPING ? UCWA_TYPING_REPEAT_S : 0;
}

void
ucwa_purple_convo_closed (PurpleConnection *gc, const char *who)
{
  UcwaClient *client = ucwa_purple_client_for (gc);

  if (client != NULL && who != NULL)
    ucwa_client_close_conversation (client, who);
}

void
ucwa_purple_im_received (UcwaClient *client, const char *peer,
                         const char *peer_name, const char *text,
                         gint64 timestamp, gpointer user_data)
{
  UcwaPurpleConnection *conn = user_data;
  g_autofree char *markup = ucwa_purple_text_to_markup (text);
  time_t when = timestamp > 0 ? (time_t) timestamp : time (NULL);

  serv_got_im (conn->gc, peer, markup, PURPLE_MESSAGE_RECV, when);
}

void
ucwa_purple_im_sent (UcwaClient *client, const char *peer, const char *text,
                     gpointer user_data)
{
  purple_debug_misc (UCWA_PURPLE_DEBUG_CATEGORY, "IM to %s delivered\n",
                     peer);
}

static PurpleConversation *
ucwa_purple_im_conversation (PurpleAccount *account, const char *peer)
{
  PurpleConversation *conv;

  conv = purple_find_conversation_with_account (PURPLE_CONV_TYPE_IM, peer,
                                                account);
  if (conv == NULL)
    conv = purple_conversation_new (PURPLE_CONV_TYPE_IM, account, peer);
  return conv;
}

void
ucwa_purple_im_failed (UcwaClient *client, const char *peer, const char *text,
                       const GError *error, gpointer user_data)
{
  UcwaPurpleConnection *conn = user_data;
  PurpleConversation *conv;
  g_autofree char *peer_markup = g_markup_escape_text (peer, -1);
  g_autofree char *text_markup = ucwa_purple_text_to_markup (text);
  g_autofree char *reason_markup = NULL;
  g_autofree char *line = NULL;

  reason_markup = g_markup_escape_text (
      (error != NULL && error->message != NULL) ? error->message
                                                : _("unknown error"),
      -1);
  purple_debug_warning (UCWA_PURPLE_DEBUG_CATEGORY,
                        "IM to %s not delivered: %s\n", peer,
                        error != NULL ? error->message : "unknown error");

  line = g_strdup_printf (_("Message could not be delivered to %s: \"%s\" (%s)"),
                          peer_markup, text_markup, reason_markup);
  conv = ucwa_purple_im_conversation (conn->account, peer);
  purple_conversation_write (conv, NULL, line, PURPLE_MESSAGE_ERROR,
                             time (NULL));
}

void
ucwa_purple_typing_changed (UcwaClient *client, const char *peer,
                            gboolean typing, gpointer user_data)
{
  UcwaPurpleConnection *conn = user_data;

  /* No timeout: the server says when typing stops. */
  if (typing)
    serv_got_typing (conn->gc, peer, 0, PURPLE_TYPING);
  else
    serv_got_typing_stopped (conn->gc, peer);
}

void
ucwa_purple_conversation_ended (UcwaClient *client, const char *peer,
                                gpointer user_data)
{
  UcwaPurpleConnection *conn = user_data;

  purple_debug_info (UCWA_PURPLE_DEBUG_CATEGORY,
                     "conversation with %s ended\n", peer);
  serv_got_typing_stopped (conn->gc, peer);
}
