/* recorder.h: a listener of the core that writes down what it is told
 * ("kind|peer|text" lines, in order), and the waits and mock set-up the
 * core tests share. */
#pragma once

#include "mock-control.h"
#include "ucwa-client.h"
#include "ucwa-error.h"

G_BEGIN_DECLS

#define WAIT_MS 10000
#define TRICKY_TEXT "héllo <b>&amp; 🎉"

/* Set from the command line: the mock releases events before each 201. */
extern gboolean events_before_201;

/* g_test_init(), and `--events-before-201` read into events_before_201. */
void        recorder_test_init (int *argc, char ***argv);

typedef struct {
  UcwaClient *client;
  GPtrArray  *log;        /* "kind|peer|text" lines, in order */
  GError     *disconnect;
  gboolean    connected;
} Recorder;

extern const UcwaListener recorder_listener;

/* @keepalive_ms, @request_timeout_s: 0 for the core's defaults. */
Recorder   *recorder_new_full (const char *address, const char *password,
                               const char *discovery_url, guint keepalive_ms,
                               guint request_timeout_s);
Recorder   *recorder_new      (const char *address, const char *password,
                               const char *discovery_url);
void        recorder_free     (Recorder *recorder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

void        record            (Recorder *recorder, const char *kind,
                               const char *peer, const char *text);
guint       count_lines       (Recorder *recorder, const char *line);
/* Waits until the line was recorded @count times; fails the test otherwise. */
void        expect_n          (Recorder *recorder, guint count, const char *kind,
                               const char *peer, const char *text);
void        expect            (Recorder *recorder, const char *kind,
                               const char *peer, const char *text);
gint        index_of          (Recorder *recorder, const char *kind,
                               const char *peer, const char *text);
gboolean    is_disconnected   (gconstpointer recorder);
/* A TestCondition on a MockServer: alice has no application (any more). */
gboolean    alice_has_no_application (gconstpointer mock);

/* The mock with @extra options (space separated, may be NULL), a short
 * typing timer, and the ordering under test. */
MockServer *start_mock_with   (const char *extra);
MockServer *start_mock        (void);
/* A client signed in to @mock; fails the test if it does not get there. */
Recorder   *sign_in           (MockServer *mock, const char *address,
                               const char *password);

G_END_DECLS
