/* mock.h: shared types of ucwa-mock-server, a UCWA 2.0 server for tests.
 *
 * The model, shaped to grow (meetings, presence, faults):
 * - MockUser: a directory entry (address, password, name, contacts).  Some
 *   users are bots played by the server (the echo bot).
 * - MockApp: one UCWA application of a signed-in user, with its own event
 *   queue (mock-events.c) and its own view of every conversation.
 * - MockSession: one conversation shared by its parties.  Each party is a
 *   MockView: the conversation as one application sees it (its own ids and
 *   hrefs), or a party played by the server (view->app == NULL).  A 1:1 IM
 *   has two views; a meeting will simply have more.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define MOCK_UCWA_PREFIX "/ucwa/oauth/v1/applications"

typedef struct _MockServer MockServer;
typedef struct _MockUser MockUser;
typedef struct _MockApp MockApp;
typedef struct _MockSession MockSession;
typedef struct _MockView MockView;

typedef enum {
  MOCK_ENCODING_PERCENT,
  MOCK_ENCODING_BASE64,
  MOCK_ENCODING_ALTERNATE,
} MockMessageEncoding;

typedef enum {
  MOCK_FAIL_NONE,
  MOCK_FAIL_EVENT,
  MOCK_FAIL_HTTP,
  MOCK_FAIL_GONE,   /* the server forgot the conversation: 404, then teardown */
} MockFailMode;

typedef struct {
  guint port;
  gboolean events_before_201;
  gboolean repeat_first_message;
  gboolean verbose;
  guint pget_timeout;        /* seconds, cap of the `timeout` parameter */
  guint invitation_timeout;  /* seconds */
  guint typing_timeout;      /* seconds */
  MockMessageEncoding encoding;
} MockOptions;

struct _MockServer {
  MockOptions opts;
  SoupServer *soup;
  char *base_url;            /* "http://127.0.0.1:PORT" */
  GPtrArray *users;          /* MockUser* */
  GHashTable *tokens;        /* token string -> MockUser* (borrowed) */
  GHashTable *apps;          /* app id -> MockApp* (owned) */
  GPtrArray *sessions;       /* MockSession* (owned) */
  GPtrArray *request_log;    /* JsonObject* */
  GPtrArray *played_inbox;   /* JsonObject*: messages to parties we play */
  guint next_app_id;
  guint next_object_id;      /* conversations, invitations */
  guint encoding_counter;    /* for MOCK_ENCODING_ALTERNATE */
  MockFailMode fail_next_send_message;
  MockFailMode fail_next_start_messaging;
};

struct _MockUser {
  char *address;             /* "alice@example.test" */
  char *password;            /* NULL for bots */
  char *name;
  gboolean is_echo_bot;
  GPtrArray *contacts;       /* addresses (char*) */
};

typedef struct _MockEvent MockEvent;
typedef struct _MockPackage MockPackage;
typedef struct _MockHeldReply MockHeldReply;

struct _MockApp {
  MockServer *server;
  MockUser *user;            /* borrowed */
  char *id;
  char *endpoint_id;
  char *user_agent;
  char *culture;
  char *put_property;        /* random key of the "please pass this" value */
  gboolean available;        /* after makeMeAvailable */

  /* Event channel state, mock-events.c. */
  guint64 ack_base;          /* ack of the first unacknowledged package */
  guint64 next_event_seq;
  guint64 acked_event_seq;   /* every event up to this one was acked */
  GQueue pending;            /* MockEvent*, not yet in a package */
  MockPackage *current;      /* package served for ack_base, or NULL */
  SoupServerMessage *parked;
  gulong parked_finished_id;
  guint parked_timeout_id;
  guint flush_idle_id;
  guint flush_holds;         /* >0: responses still to be written first */
  GPtrArray *held;           /* MockHeldReply* */
  gboolean resume_next;      /* the next package says `resume` */

  GHashTable *views;         /* conversation id -> MockView* (borrowed) */
  GHashTable *invitations;   /* invitation id -> MockView* (borrowed) */
};

typedef enum {
  MOCK_VIEW_CONNECTING,      /* outgoing invitation pending */
  MOCK_VIEW_INCOMING,        /* incoming invitation pending */
  MOCK_VIEW_CONNECTED,
  MOCK_VIEW_DISCONNECTED,
} MockViewState;

struct _MockView {
  MockSession *session;      /* borrowed back pointer */
  MockUser *user;            /* borrowed */
  MockApp *app;              /* NULL: the server plays this party */
  char *conv_id;
  char *invitation_id;
  char *operation_id;        /* of the outgoing invitation */
  gboolean outgoing;
  gboolean peer_added;       /* `added participant` was sent for the peer */
  MockViewState state;
  guint next_message;
  gboolean typing;           /* this party is typing */
  guint typing_timeout_id;
};

struct _MockSession {
  MockServer *server;
  char *thread_id;
  char *subject;
  char *importance;
  char *first_message;       /* text of the invitation's message, or NULL */
  char *first_message_uri;   /* the same as a data URI */
  GPtrArray *views;          /* MockView* (owned) */
  GPtrArray *queued_texts;   /* from played party before accept: (char*) */
  MockUser *queued_from;
  guint invite_timeout_id;
  guint answer_source_id;    /* played party answering */
  GQueue bot_replies;        /* char* */
  guint bot_source_id;
  gboolean ended;
};

/* mock-util.c */
char *mock_random_token (gsize bytes);
char *mock_random_uuid (void);
JsonObject *mock_link (const char *href, const char *title);
void mock_add_link (JsonObject *resource, const char *rel, const char *href);
void mock_add_link_titled (JsonObject *resource, const char *rel,
                           const char *href, const char *title);
void mock_embed (JsonObject *resource, const char *rel, JsonObject *child);
JsonObject *mock_resource_new (const char *rel, const char *self_href);
JsonObject *mock_reason_new (const char *code, const char *subcode,
                             const char *message);
void mock_respond_json (SoupServerMessage *msg, guint status, JsonObject *body);
void mock_respond_error (SoupServerMessage *msg, guint status, const char *code,
                         const char *subcode, const char *message);
void mock_respond_empty (SoupServerMessage *msg, guint status);
char *mock_json_to_string (JsonObject *obj);
JsonObject *mock_parse_json_body (SoupServerMessage *msg);
const char *mock_json_get_string_ci (JsonObject *obj, const char *name);
char *mock_body_text (SoupServerMessage *msg);
char *mock_date_now (void);
char *mock_data_uri_encode (MockServer *server, const char *text);
char *mock_data_uri_decode (const char *uri);
char *mock_strip_crlf (const char *text);
char *mock_address_from_sip (const char *uri);

/* mock-server.c */
MockServer *mock_server_new (const MockOptions *opts, GError **error);
void mock_server_free (MockServer *server);
char *mock_server_url (MockServer *server, const char *path);

/* mock-directory.c */
void mock_directory_init (MockServer *server);
void mock_user_free (MockUser *user);
MockUser *mock_directory_find (MockServer *server, const char *address);
MockUser *mock_directory_check_password (MockServer *server,
                                         const char *address,
                                         const char *password);
char *mock_directory_issue_token (MockServer *server, MockUser *user);
MockUser *mock_directory_user_for_token (MockServer *server, const char *token);
gboolean mock_user_is_available (MockServer *server, MockUser *user);
GPtrArray *mock_user_available_apps (MockServer *server, MockUser *user);

/* mock-auth.c */
gboolean mock_auth_handle (MockServer *server, SoupServerMessage *msg,
                           const char *path);
MockUser *mock_auth_require (MockServer *server, SoupServerMessage *msg);

/* mock-application.c */
void mock_application_handle (MockServer *server, SoupServerMessage *msg,
                              const char *path);
void mock_app_free (MockApp *app);
char *mock_app_href (MockApp *app, const char *suffix_format, ...)
  G_GNUC_PRINTF (2, 3);
void mock_app_destroy (MockApp *app);
JsonObject *mock_app_communication (MockApp *app);

/* mock-photo.c */
void mock_photo_handle (MockApp *app, SoupServerMessage *msg, const char *address);

/* mock-events.c */
MockApp *mock_events_init (MockApp *app);
void mock_events_clear (MockApp *app);
void mock_events_push (MockApp *app, const char *sender_rel,
                       const char *sender_href, JsonObject *event);
JsonObject *mock_event_new (const char *type, const char *rel,
                            const char *href, const char *title);
void mock_event_set_in (JsonObject *event, const char *rel, const char *href,
                        const char *title);
void mock_event_embed (JsonObject *event, const char *rel, JsonObject *child);
void mock_event_set_status (JsonObject *event, const char *status,
                            JsonObject *reason);
void mock_events_handle_pget (MockApp *app, SoupServerMessage *msg);
void mock_events_reply_created (MockApp *app, SoupServerMessage *msg,
                                const char *location);
void mock_events_answer_all (MockApp *app);
void mock_events_resume (MockApp *app);

/* mock-conversation.c: sessions, views, the events they produce */
MockSession *mock_session_new (MockServer *server, const char *subject,
                               const char *importance, const char *thread_id);
void mock_session_free (MockSession *session);
MockView *mock_session_add_view (MockSession *session, MockUser *user,
                                 MockApp *app, gboolean outgoing);
void mock_session_remove_view (MockSession *session, MockView *view);
MockView *mock_session_peer_of (MockSession *session, MockView *view);
MockView *mock_session_find_between (MockServer *server, MockUser *user,
                                     MockUser *peer);
char *mock_view_href (MockView *view, const char *suffix);
char *mock_view_participant_href (MockView *view, MockUser *user);
void mock_view_push_outgoing_started (MockView *view);
void mock_view_push_incoming_invitation (MockView *view, MockView *from);
void mock_view_push_connected (MockView *view, MockView *peer);
void mock_view_push_invitation_failed (MockView *view, JsonObject *reason);
void mock_view_push_message (MockView *view, MockView *sender,
                             const char *text, const char *operation_id,
                             JsonObject *failure_reason, char **location);
void mock_view_push_typing (MockView *view, MockView *typist, gboolean typing);
void mock_view_push_teardown (MockView *view);
void mock_session_end (MockSession *session);
void mock_session_detach_app (MockApp *app);
JsonObject *mock_view_conversation (MockView *view);
JsonObject *mock_view_messaging (MockView *view);
JsonObject *mock_view_invitation (MockView *view);
JsonObject *mock_participant_resource (MockView *view, MockUser *user);
const char *mock_view_state_name (MockViewState state);

/* mock-messaging.c: the messaging flows and their HTTP handlers */
void mock_messaging_handle (MockApp *app, SoupServerMessage *msg,
                            const char *subpath);
guint mock_messaging_control_send (MockServer *server, MockUser *from,
                                   MockUser *to, const char *text);
gboolean mock_messaging_deliver (MockSession *session, MockView *sender,
                                 const char *text, const char *operation_id,
                                 char **location);
void mock_session_fail (MockSession *session, const char *code,
                        const char *subcode, const char *message);
void mock_messaging_set_typing (MockView *typist, gboolean typing);

/* mock-control.c */
void mock_control_handle (MockServer *server, SoupServerMessage *msg,
                          const char *path);

G_END_DECLS
