/* purple-harness.h: a headless libpurple with the built plugin loaded, and
 * a recorder of what libpurple reports (sign-on, errors, IMs, debug). */
#pragma once

#include <purple.h>

G_BEGIN_DECLS

#define HARNESS_UI_ID "purple-ucwa-tests"

typedef struct {
  char *who;
  char *message;
  PurpleMessageFlags flags;
} HarnessMessage;

typedef struct {
  PurpleAccount *account;       /* the account under test, or NULL */
  guint signed_on;              /* signed-on signals for it */
  guint signed_off;
  guint connection_errors;
  PurpleConnectionError error_reason;
  char *error_text;
  GPtrArray *received;          /* HarnessMessage: received-im-msg */
  GPtrArray *written;           /* HarnessMessage: wrote-im-msg */
  GPtrArray *debug_lines;       /* char*: every purple debug line */
} HarnessRecorder;

/* The recorder of the account under test; reset by harness_account_new(). */
extern HarnessRecorder harness;

/* Sets up libpurple in a throwaway user dir with the plugin from
 * $UCWA_PLUGIN_DIR; aborts if the plugin cannot be found. */
void harness_init (void);
/* Shuts libpurple down and removes the user dir. */
void harness_shutdown (void);

/* Creates, adds and enables an account; it starts signing in when the main
 * loop runs (or at once, for errors found before any network). */
PurpleAccount *harness_account_new (const char *username,
                                    const char *password,
                                    const char *server);
/* Disables and deletes the account under test, if any. */
void harness_account_remove (void);

/* Runs the main loop for what is already pending, without waiting. */
void harness_iterate_pending (void);

/* Common conditions, for test_wait_until(). */
gboolean harness_is_signed_on (gconstpointer unused);
gboolean harness_has_connection_error (gconstpointer unused);
/* @data: guint*, the number of received IMs to wait for. */
gboolean harness_has_received (gconstpointer data);
/* @data: a string a debug line must contain. */
gboolean harness_debug_contains (gconstpointer data);

/* The nth received IM, NULL if there are fewer. */
const HarnessMessage *harness_received (guint index);
/* The first IM conversation line written with all of @flags whose markup
 * contains @needle, NULL if none. */
const HarnessMessage *harness_find_written (PurpleMessageFlags flags,
                                            const char *needle);

/* Sends @typed as Finch does: escaped to markup, then through the
 * conversation (created if needed), so purple shows and sends it. */
void harness_send_typed (const char *peer, const char *typed);

G_END_DECLS
