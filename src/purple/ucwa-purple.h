/* ucwa-purple.h: what the plugin's files share with one another.
 *
 * One UcwaPurpleConnection hangs off each PurpleConnection as its protocol
 * data; it owns the core's UcwaClient and is the user data of every
 * listener callback.
 */
#pragma once

#include <purple.h>

#include "ucwa-client.h"

G_BEGIN_DECLS

#define UCWA_PURPLE_PROTOCOL_ID "prpl-ucwa"
#define UCWA_PURPLE_DEBUG_CATEGORY "ucwa"

/* Account setting names. */
#define UCWA_PURPLE_SETTING_SERVER "server"
#define UCWA_PURPLE_SETTING_ENDPOINT_ID "endpoint-id"

/* Status type ids. */
#define UCWA_PURPLE_STATUS_AVAILABLE "available"
#define UCWA_PURPLE_STATUS_AWAY "away"
#define UCWA_PURPLE_STATUS_OFFLINE "offline"

typedef struct {
  PurpleConnection *gc;
  PurpleAccount    *account;
  UcwaClient       *client;
} UcwaPurpleConnection;

/* connection.c */
void ucwa_purple_login (PurpleAccount *account);
void ucwa_purple_close (PurpleConnection *gc);
PurpleConnectionError ucwa_purple_connection_error_from_gerror (const GError *error);
UcwaPurpleConnection *ucwa_purple_connection_get (PurpleConnection *gc);

/* im.c: protocol entry points */
int ucwa_purple_send_im (PurpleConnection   *gc,
                         const char         *who,
                         const char         *message,
                         PurpleMessageFlags  flags);
unsigned int ucwa_purple_send_typing (PurpleConnection  *gc,
                                      const char        *who,
                                      PurpleTypingState  state);
void ucwa_purple_convo_closed (PurpleConnection *gc,
                               const char       *who);

/* im.c: listener callbacks */
void ucwa_purple_im_received (UcwaClient *client, const char *peer,
                              const char *peer_name, const char *text,
                              gint64 timestamp, gpointer user_data);
void ucwa_purple_im_sent (UcwaClient *client, const char *peer,
                          const char *text, gpointer user_data);
void ucwa_purple_im_failed (UcwaClient *client, const char *peer,
                            const char *text, const GError *error,
                            gpointer user_data);
void ucwa_purple_typing_changed (UcwaClient *client, const char *peer,
                                 gboolean typing, gpointer user_data);
void ucwa_purple_conversation_ended (UcwaClient *client, const char *peer,
                                     gpointer user_data);

/* buddies.c: protocol entry points */
void ucwa_purple_add_buddy (PurpleConnection *gc, PurpleBuddy *buddy,
                            PurpleGroup *group);
void ucwa_purple_remove_buddy (PurpleConnection *gc, PurpleBuddy *buddy,
                               PurpleGroup *group);

/* buddies.c: listener callbacks */
void ucwa_purple_contact_added (UcwaClient *client, const char *address,
                                const char *display_name, gpointer user_data);
void ucwa_purple_contact_presence (UcwaClient *client, const char *address,
                                   const char *availability,
                                   gpointer user_data);
/* The purple status id for a UCWA availability ("Online", "Away"...). */
const char *ucwa_purple_status_id_for_availability (const char *availability);

/* markup.c */
char *ucwa_purple_markup_to_text (const char *markup);
char *ucwa_purple_text_to_markup (const char *text);

/* log-bridge.c */
void ucwa_purple_log_bridge_install (void);
void ucwa_purple_log_bridge_remove (void);

G_END_DECLS
