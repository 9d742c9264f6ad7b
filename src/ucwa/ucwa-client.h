/* ucwa-client.h: one signed-in UCWA endpoint, the core's public face.
 *
 * The client signs in (autodiscovery, OAuth password grant, application,
 * makeMeAvailable), keeps the application alive, runs the event channel and
 * maps conversations onto two-party IMs keyed by the peer's address
 * ("bob@example.test", no "sip:").  It runs entirely on the thread-default
 * main context; nothing blocks.  It talks to its front end through
 * UcwaListener and knows nothing about libpurple.
 */
#pragma once

#include <glib.h>

#include "ucwa-error.h"

G_BEGIN_DECLS

typedef struct _UcwaClient UcwaClient;

typedef enum {
  UCWA_CLIENT_DISCONNECTED,
  UCWA_CLIENT_DISCOVERING,
  UCWA_CLIENT_AUTHENTICATING,
  UCWA_CLIENT_CREATING_APPLICATION,
  UCWA_CLIENT_CONNECTED,
  UCWA_CLIENT_CLOSED,
} UcwaClientState;

typedef struct {
  const char *address;       /* sign-in address, "alice@example.test" */
  const char *password;
  /* Autodiscovery root URL; NULL or "" derives it from the address's domain
   * (lyncdiscoverinternal.<domain>, then lyncdiscover.<domain>). */
  const char *discovery_url;
  const char *user_agent;    /* NULL: "purple-ucwa/<version>" */
  const char *endpoint_id;   /* a GUID stable per device; NULL: random */
  guint operation_timeout_ms;   /* 0: 60 s */
  guint keepalive_interval_ms;  /* reportMyActivity period; 0: 3 min */
  guint request_timeout_s;      /* any request but the P-GET; 0: 30 s */
} UcwaClientConfig;

/* Every callback may be NULL.  Strings are only valid during the call. */
typedef struct {
  /* Sign-in progress, for a progress bar: @step of @total. */
  void (*progress) (UcwaClient *client, const char *text,
                    guint step, guint total, gpointer user_data);
  /* Signed in and the event channel is running. */
  void (*connected) (UcwaClient *client, gpointer user_data);
  /* The client is down for good (it will not retry by itself); @error tells
   * why, in UCWA_ERROR.  No other callback runs after this one. */
  void (*disconnected) (UcwaClient *client, const GError *error,
                        gpointer user_data);

  /* A contact of the user's contact list. */
  void (*contact_added) (UcwaClient *client, const char *address,
                         const char *display_name, gpointer user_data);
  /* A contact's availability, as UCWA names it ("Online", "Away", "Busy",
   * "DoNotDisturb", "BeRightBack", "IdleOnline", "IdleBusy", "Offline"...). */
  void (*contact_presence) (UcwaClient *client, const char *address,
                            const char *availability, gpointer user_data);

  /* An IM from @peer; @text is plain UTF-8 (not markup), already valid. */
  void (*im_received) (UcwaClient *client, const char *peer,
                       const char *peer_name, const char *text,
                       gint64 timestamp, gpointer user_data);
  /* @text, sent with ucwa_client_send_im(), was delivered. */
  void (*im_sent) (UcwaClient *client, const char *peer, const char *text,
                   gpointer user_data);
  /* @text, sent with ucwa_client_send_im(), was not delivered. */
  void (*im_failed) (UcwaClient *client, const char *peer, const char *text,
                     const GError *error, gpointer user_data);
  /* @peer started or stopped typing to us. */
  void (*typing_changed) (UcwaClient *client, const char *peer,
                          gboolean typing, gpointer user_data);
  /* The conversation with @peer ended (either side); the next message
   * starts a new one. */
  void (*conversation_ended) (UcwaClient *client, const char *peer,
                              gpointer user_data);
} UcwaListener;

UcwaClient *ucwa_client_new (const UcwaClientConfig *config,
                             const UcwaListener     *listener,
                             gpointer                user_data);

/* Starts signing in; the outcome arrives as `connected` or `disconnected`. */
void ucwa_client_connect (UcwaClient *client);

/* Signs out: the listener is detached at once (no callback runs after this
 * returns), pending operations are cancelled, and the application is deleted
 * on the server in the background; the client frees itself when that is
 * done or has timed out.  Do not use @client afterwards. */
void ucwa_client_shutdown (UcwaClient *client);

UcwaClientState ucwa_client_get_state (UcwaClient *client);
const char     *ucwa_client_get_display_name (UcwaClient *client);

/* Sends @text (plain UTF-8) to @peer.  Starts a conversation if none is
 * open; messages sent while it connects are queued and go out in order.
 * The outcome arrives as `im_sent` or `im_failed`. */
void ucwa_client_send_im (UcwaClient *client,
                          const char *peer,
                          const char *text);

/* setIsTyping arms a short server timer (its length is unstated): while
 * the user goes on typing, tell the core again this often. */
#define UCWA_TYPING_REPEAT_S 4

/* Tells @peer we are typing now; FALSE sends nothing (UCWA has no "stopped
 * typing": the server's timer runs out).  Does nothing without a connected
 * conversation with @peer. */
void ucwa_client_set_typing (UcwaClient *client,
                             const char *peer,
                             gboolean    typing);

/* The user closed the conversation window: end the conversation. */
void ucwa_client_close_conversation (UcwaClient *client,
                                     const char *peer);

/* Validates a server URL: http only for loopback hosts, else https. */
gboolean ucwa_check_server_url (const char  *url,
                                GError     **error);

G_END_DECLS
