/* test-mock.h: run the real ucwa-mock-server from a test and talk to its
 * control interface (/mock/v1/...) over real HTTP. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _TestMock TestMock;

/* Starts the mock named by $UCWA_MOCK_SERVER on a free port with @args
 * (NULL-terminated, may be NULL) and waits for its listening line. */
TestMock   *test_mock_start (const char *const *args);
void        test_mock_stop  (TestMock *mock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestMock, test_mock_stop)

const char *test_mock_base_url       (TestMock *mock); /* http://127.0.0.1:PORT/ */
char       *test_mock_discovery_url  (TestMock *mock);

/* POSTs @json to @path of the mock; returns the HTTP status. */
guint       test_mock_post (TestMock   *mock,
                            const char *path,
                            const char *json);
/* GETs @path of the mock and returns the parsed JSON (never NULL: fails
 * the test otherwise). */
JsonNode   *test_mock_get  (TestMock   *mock,
                            const char *path);

/* How many requests the mock logged whose method is @method and whose path
 * ends with @path_suffix (case-insensitively); @operation_ids, if not NULL,
 * receives their operationIds. */
guint       test_mock_count_requests (TestMock   *mock,
                                      const char *method,
                                      const char *path_suffix,
                                      GPtrArray  *operation_ids);

/* The number of applications @user has on the mock now. */
guint       test_mock_application_count (TestMock   *mock,
                                         const char *user);

/* Iterates the default main context until @done returns TRUE or
 * @timeout_ms passes; returns the last value of @done. */
gboolean    test_wait_until (gboolean (*done) (gpointer data),
                             gpointer   data,
                             guint      timeout_ms);

G_END_DECLS
