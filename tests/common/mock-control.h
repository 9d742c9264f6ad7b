/* mock-control.h: runs ucwa-mock-server as a child process and drives it
 * through its control API (/mock/v1/...) over real HTTP.  Every failure
 * (the mock not starting, a control request failing) fails the test. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _MockServer MockServer;

/* Starts the mock from $UCWA_MOCK_SERVER with --port 0 and @args
 * (NULL-terminated, may be NULL), and waits for its "listening on" line. */
MockServer *mock_server_start_with_args (const char *const *args);
/* The same with the extra arguments in $UCWA_MOCK_ARGS (space separated). */
MockServer *mock_server_start (void);
/* Ends the mock with SIGTERM, asserts that it exited cleanly with status 0
 * (unless mock_server_kill() already ended it), and frees @mock. */
void mock_server_stop (MockServer *mock);
/* Kills the mock now and waits for it to exit; @mock stays usable for its
 * URLs, and mock_server_stop() then only frees it. */
void mock_server_kill (MockServer *mock);

/* "http://127.0.0.1:PORT/" */
const char *mock_server_get_base_url (MockServer *mock);
/* The autodiscovery root URL, what a client is configured with. */
const char *mock_server_get_root_url (MockServer *mock);

/* POSTs @json to @path (e.g. "/mock/v1/send-im"); returns the HTTP status. */
guint mock_server_post (MockServer *mock, const char *path, const char *json);
/* GETs @path and returns its parsed JSON body (never NULL: anything but a
 * 200 with JSON fails the test). */
JsonNode *mock_server_get_json (MockServer *mock, const char *path);

/* Builds a JSON object text from NULL-terminated key/value string pairs;
 * the values "true" and "false" become booleans. */
char *mock_json_object (const char *first_key, ...) G_GNUC_NULL_TERMINATED;

/* Client requests in the mock's log (its control API's own excluded) whose
 * method is @method (NULL: any) and whose path matches the shell-style glob
 * @path_glob. */
guint mock_server_count_requests (MockServer *mock, const char *method,
                                  const char *path_glob);
/* The operationIds of those requests, in log order (char*; NULL for a
 * request that carried none). */
GPtrArray *mock_server_get_operation_ids (MockServer *mock, const char *method,
                                          const char *path_glob);
/* How many applications the mock lists for @user; fails the test if the
 * mock does not know @user. */
guint mock_server_count_applications (MockServer *mock, const char *user);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MockServer, mock_server_stop)

G_END_DECLS
