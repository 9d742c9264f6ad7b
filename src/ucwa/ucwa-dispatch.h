/* ucwa-dispatch.h: from an event-channel answer to event handlers.
 *
 * An answer holds senders, each with events in order.  The dispatcher walks
 * them in order and looks every event up in a table of rows keyed by
 * (sender rel, link rel, event type, `in` rel), so that a new kind of event
 * is one more row, not one more branch.  An event no row matches is logged as
 * ignored.  Malformed parts (a sender without events, an event without a
 * link) are logged and skipped; they never stop the rest of the answer.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *sender_rel;   /* "communication", "conversation", "me", ... */
  const char *sender_href;
  const char *type;         /* added|updated|deleted|started|completed */
  const char *link_rel;
  const char *link_href;
  const char *link_title;   /* NULL if absent */
  const char *in_rel;       /* NULL if the event has no `in` */
  const char *in_href;
  const char *status;       /* operations only; NULL if absent */
  JsonObject *reason;       /* NULL if absent */
  JsonObject *resource;     /* _embedded[link.rel], NULL when link-only */
  JsonObject *event;        /* the whole event object */
} UcwaEvent;

typedef void (*UcwaEventHandler) (const UcwaEvent *event,
                                  gpointer         user_data);

/* NULL in any key field matches anything; the first matching row wins, so
 * put specific rows before general ones.  A table ends with a row whose
 * handler is NULL. */
typedef struct {
  const char       *sender_rel;
  const char       *link_rel;
  const char       *type;
  const char       *in_rel;
  UcwaEventHandler  handler;
} UcwaDispatchRow;

typedef struct {
  guint handled;   /* events a row took */
  guint ignored;   /* well-formed events no row matched */
  guint malformed; /* senders or events skipped as unusable */
} UcwaDispatchStats;

/* Dispatches every event of @answer (an event-channel response body) in
 * order through @table.  Returns FALSE with @error set only when @answer is
 * not an object at all; otherwise TRUE, with counts in @stats (may be NULL).
 * An answer without `sender` (an empty timeout release) is valid. */
gboolean ucwa_dispatch_answer (const UcwaDispatchRow *table,
                               JsonNode              *answer,
                               gpointer               user_data,
                               UcwaDispatchStats     *stats,
                               GError               **error);

G_END_DECLS
