/* ucwa-client-private.h: what the parts of the core share about a client.
 *
 * The client owns the HTTP session, the token and the application's links;
 * discovery, authentication, the event channel, messaging and people are
 * separate files that work on it through these functions.
 */
#pragma once

#include <libsoup/soup.h>

#include "ucwa-client.h"
#include "ucwa-dispatch.h"
#include "ucwa-operations.h"
#include "ucwa-request.h"

G_BEGIN_DECLS

typedef struct _UcwaEventChannel UcwaEventChannel;
typedef struct _UcwaMessaging UcwaMessaging;
typedef struct _UcwaPeople UcwaPeople;

struct _UcwaClient {
  gatomicrefcount   ref_count;
  UcwaClientState   state;
  gboolean          shutting_down; /* the listener is detached */

  char             *address;       /* lower-cased sign-in address */
  char             *password;
  char             *discovery_url; /* NULL: derive from the domain */
  char             *user_agent;
  char             *endpoint_id;
  guint             operation_timeout_ms;
  guint             keepalive_interval_ms;
  guint             request_timeout_s;

  UcwaListener      listener;
  gpointer          listener_data;

  SoupSession      *session;
  GCancellable     *cancellable;   /* cancels every request but the last DELETE */
  char             *token;

  char             *applications_url;
  char             *application_url; /* absolute; the base of every href */
  JsonObject       *application;     /* the latest application resource */
  char             *display_name;

  UcwaOperations   *operations;
  UcwaEventChannel *events;
  UcwaMessaging    *messaging;
  UcwaPeople       *people;
  guint             keepalive_id;
};

UcwaClient *ucwa_client_ref   (UcwaClient *client);
void        ucwa_client_unref (UcwaClient *client);

/* TRUE while listener callbacks may run: not shut down, not failed. */
gboolean ucwa_client_is_live (UcwaClient *client);

/* Sends a request to @href (resolved against the application's URL) with
 * the token, failing after the configured request timeout.  The client
 * stays alive until the exchange is over, but @callback only runs while
 * the client is live: never after shutdown or failure, and never for a
 * cancelled request.  (Operation callbacks are different: the registry
 * settles every operation once, also while the client fails or stops.)  @destroy frees @user_data in
 * every case.  @body may be NULL; @content_type goes with it.  A request
 * that cannot even be built (bad or insecure href) reports its error to
 * @callback from an idle. */
void ucwa_client_call (UcwaClient       *client,
                       const char       *method,
                       const char       *href,
                       const char       *content_type,
                       GBytes           *body,
                       UcwaResponseFunc  callback,
                       gpointer          user_data,
                       GDestroyNotify    destroy);

/* ucwa_client_call() with its own timeout instead of the configured one
 * (0: none); a request that times out fails with UCWA_ERROR_NETWORK. */
void ucwa_client_call_full (UcwaClient       *client,
                            const char       *method,
                            const char       *href,
                            const char       *content_type,
                            GBytes           *body,
                            guint             timeout_s,
                            UcwaResponseFunc  callback,
                            gpointer          user_data,
                            GDestroyNotify    destroy);

/* ucwa_client_call() for a POST with a JSON body (may be NULL: no body). */
void ucwa_client_post_json (UcwaClient       *client,
                            const char       *href,
                            JsonNode         *body,
                            UcwaResponseFunc  callback,
                            gpointer          user_data,
                            GDestroyNotify    destroy);

/* The user data of a request about one person: the client and the
 * person's address (the request may outlive anything else). */
typedef struct {
  UcwaClient *client;
  char       *address;
} UcwaPersonCall;

UcwaPersonCall *ucwa_person_call_new  (UcwaClient *client,
                                       const char *address);
void            ucwa_person_call_free (gpointer    call);

/* Resolves @href against the application's URL. */
char *ucwa_client_resolve (UcwaClient *client,
                           const char *href);

/* The client is finished: tell the listener once and stop everything. */
void ucwa_client_fail (UcwaClient   *client,
                       const GError *error);

/* After a `resume` (@state_lost) or a `resync`: forget the conversations
 * the server ended (queued texts go out in new ones) and read the contact
 * list and presence again. */
void ucwa_client_refresh (UcwaClient *client,
                          gboolean    state_lost);

/* The dispatch table of the whole client, and its user data. */
void ucwa_client_handle_answer (UcwaClient *client,
                                JsonNode   *answer);

/* ucwa-discovery.c: finds the user resource's URL. */
typedef void (*UcwaDiscoveryFunc) (UcwaClient   *client,
                                   const char   *user_url,
                                   const GError *error);
void ucwa_discovery_run (UcwaClient        *client,
                         UcwaDiscoveryFunc  callback);
/* The root URLs to try, in order: the configured one, or those derived from
 * the address's domain; empty when there is neither. */
GPtrArray *ucwa_discovery_candidates (const char *address,
                                      const char *configured_url);

/* ucwa-auth.c: from the user resource to a token and the applications URL. */
typedef void (*UcwaAuthFunc) (UcwaClient   *client,
                              const GError *error);
void ucwa_auth_run (UcwaClient   *client,
                    const char   *user_url,
                    UcwaAuthFunc  callback);

/* ucwa-events.c: the P-GET loop. */
UcwaEventChannel *ucwa_event_channel_new   (UcwaClient *client,
                                            const char *events_href);
void              ucwa_event_channel_start (UcwaEventChannel *channel);
void              ucwa_event_channel_free  (UcwaEventChannel *channel);

/* ucwa-messaging.c: two-party conversations. */
UcwaMessaging *ucwa_messaging_new  (UcwaClient *client);
void           ucwa_messaging_free (UcwaMessaging *messaging);
void           ucwa_messaging_send (UcwaMessaging *messaging,
                                    const char    *peer,
                                    const char    *text);
void           ucwa_messaging_set_typing (UcwaMessaging *messaging,
                                          const char    *peer,
                                          gboolean       typing);
void           ucwa_messaging_close (UcwaMessaging *messaging,
                                     const char    *peer);
/* Ends every conversation: the server no longer knows them. */
void           ucwa_messaging_forget_all (UcwaMessaging *messaging);
/* Empties every queue: an array of {peer, text} string pairs, in order
 * per peer. */
GPtrArray     *ucwa_messaging_take_queued (UcwaMessaging *messaging);
extern const UcwaDispatchRow ucwa_messaging_rows[];

/* ucwa-people.c: the contact list. */
UcwaPeople *ucwa_people_new   (UcwaClient *client);
void        ucwa_people_free  (UcwaPeople *people);
void        ucwa_people_fetch (UcwaPeople *people);
extern const UcwaDispatchRow ucwa_people_rows[];

G_END_DECLS
