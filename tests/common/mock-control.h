/* mock-control.h: runs ucwa-mock-server as a child process and drives it
 * through its control API (/mock/v1/...). */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _MockServer MockServer;

/* Starts the mock from $UCWA_MOCK_SERVER with --port 0 and the extra
 * arguments in $UCWA_MOCK_ARGS (space separated), and waits for its
 * "listening on" line.  Aborts the test on failure. */
MockServer *mock_server_start (void);
/* Terminates the mock (if still running) and frees @mock. */
void mock_server_free (MockServer *mock);
/* Kills the mock now and waits for it to exit; @mock stays usable for its
 * URLs. */
void mock_server_kill (MockServer *mock);

/* "http://127.0.0.1:PORT/" */
const char *mock_server_get_base_url (MockServer *mock);
/* The autodiscovery root URL to put in the account's "server" setting. */
const char *mock_server_get_root_url (MockServer *mock);

/* POSTs @json to @path (e.g. "/mock/v1/send-im"); returns the HTTP status
 * (0 on a transport error). */
guint mock_server_post (MockServer *mock, const char *path, const char *json);
/* GETs @path and parses the JSON body; NULL on any failure. */
JsonNode *mock_server_get_json (MockServer *mock, const char *path);

/* Builds a JSON object text from NULL-terminated key/value string pairs. */
char *mock_json_object (const char *first_key, ...) G_GNUC_NULL_TERMINATED;

/* Client requests in the mock's log whose method is @method (NULL: any)
 * and whose path matches the shell-style glob @path_glob. */
guint mock_server_count_requests (MockServer *mock, const char *method,
                                  const char *path_glob);
/* Whether the mock lists an application of @user. */
gboolean mock_server_user_has_application (MockServer *mock,
                                           const char *user);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MockServer, mock_server_free)

G_END_DECLS
