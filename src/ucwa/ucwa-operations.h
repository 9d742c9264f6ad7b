/* ucwa-operations.h: the registry of pending operations.
 *
 * UCWA answers an operation-starting POST with 201 Created, but reports the
 * operation's progress on the event channel, a different HTTP request, so its
 * events may arrive before the 201.  The client therefore names every
 * operation itself with an operationId, registered here *before* the POST is
 * sent.  An entry is matched by the operationId that embedded operation
 * resources echo, and by the operation's href once known (from the 201's
 * Location or from the first event that carried the operationId), because
 * link-only events carry no operationId.
 *
 * An entry resolves exactly once, whatever the order of its events and its
 * 201: successfully on `completed` + `status: Success`; with an error on
 * `completed` with any other status (the `reason` message is kept), on a
 * failed POST (unless events already finished it), on timeout, or with
 * UCWA_ERROR_CANCELLED from ucwa_operations_cancel_all().  A finished entry
 * leaves a short-lived tombstone so a duplicate or late event is recognised
 * and dropped rather than mistaken for something new.
 *
 * Hrefs are compared case-insensitively and without their scheme and
 * authority, so an absolute Location matches a relative event href.
 * Callbacks run with the entry already removed: a callback may register
 * operations, cancel all, or free the registry.  Timers use the default
 * main context.
 *
 * The registry knows nothing about what an operation is.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _UcwaOperations UcwaOperations;

/* Called exactly once per registered operation.  On success @error is NULL
 * and @resource is the embedded operation resource of the `completed` event
 * (NULL when that event was link-only).  On failure @resource is NULL.
 * @resource is only valid during the call. */
typedef void (*UcwaOperationFunc) (const char   *operation_id,
                                   JsonObject   *resource,
                                   const GError *error,
                                   gpointer      user_data);

/* @timeout_ms: how long an entry may stay pending after registration
 * (0: no timeout).  @tombstone_ms: how long a finished entry is remembered
 * (0: not at all). */
UcwaOperations *ucwa_operations_new (guint timeout_ms,
                                     guint tombstone_ms);
/* Cancels every pending entry (their callbacks run with
 * UCWA_ERROR_CANCELLED), then frees the registry. */
void            ucwa_operations_free (UcwaOperations *ops);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UcwaOperations, ucwa_operations_free)

/* Registers a new pending operation and returns its fresh operationId
 * (a random UUID, 36 characters, never one still pending or remembered;
 * owned by the registry, valid until the callback has run).  @destroy, if
 * set, frees @user_data after the callback ran. */
const char *ucwa_operations_register (UcwaOperations    *ops,
                                      UcwaOperationFunc  callback,
                                      gpointer           user_data,
                                      GDestroyNotify     destroy);

/* The POST that started @operation_id was answered 2xx; @location is the
 * operation's href from the Location header (may be NULL). */
void ucwa_operations_post_succeeded (UcwaOperations *ops,
                                     const char     *operation_id,
                                     const char     *location);

/* The POST failed (HTTP error or transport).  Fails the entry with a copy
 * of @error (UCWA_ERROR_NETWORK if NULL) unless its events already finished
 * it. */
void ucwa_operations_post_failed (UcwaOperations *ops,
                                  const char     *operation_id,
                                  const GError   *error);

/* Feeds one event about an operation resource.  @type is the event type
 * (`started`, `updated`, `completed`), @href the event's link href, @status
 * the event's `status` (NULL if absent), @reason the event's `reason` object
 * (may be NULL), @resource the embedded resource (may be NULL).  Returns TRUE
 * when the event belonged to a pending or recently finished operation (it was
 * consumed, possibly as a duplicate), FALSE when it is nobody's (for example
 * an incoming invitation).  The entry is found by the embedded resource's
 * `operationId` first, then by @href.  A `completed` event finishes it:
 * status "Success" (or "Succeeded") succeeds; any other status fails, as
 * does a missing status with a @reason, with the reason's message (else
 * subcode, else code) in UCWA_ERROR_OPERATION_FAILED; no status and no
 * reason succeeds.  Other types only teach the registry the href. */
gboolean ucwa_operations_handle_event (UcwaOperations *ops,
                                       const char     *type,
                                       const char     *href,
                                       const char     *status,
                                       JsonObject     *reason,
                                       JsonObject     *resource);

/* Fails every pending entry with UCWA_ERROR_CANCELLED. */
void  ucwa_operations_cancel_all (UcwaOperations *ops);
/* Fails every pending entry with @error, in the order they were
 * registered. */
void  ucwa_operations_fail_all   (UcwaOperations *ops,
                                  const GError   *error);

guint    ucwa_operations_pending_count (UcwaOperations *ops);
/* TRUE while @operation_id has not been settled. */
gboolean ucwa_operations_is_pending    (UcwaOperations *ops,
                                        const char     *operation_id);

G_END_DECLS
