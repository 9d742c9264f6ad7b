/* ucwa-operations.c: the registry of pending operations.
 *
 * Every entry lives in `by_id` until it finishes, and in `by_href` under
 * each href it became known by.  Finishing takes the entry out of every
 * index *before* its callback runs, so a callback may register, cancel or
 * even free the registry; `busy` defers the actual free until the
 * outermost callback has returned.
 */
#include "config.h"

#include "ucwa-operations.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ucwa-error.h"
#include "ucwa-resource.h"

typedef struct {
  char              *id;
  GPtrArray         *hrefs;       /* href keys under which it is in by_href */
  UcwaOperationFunc  callback;
  gpointer           user_data;
  GDestroyNotify     destroy;
  guint              timeout_id;
  guint64            serial;      /* registration order */
  UcwaOperations    *ops;
} Entry;

struct _UcwaOperations {
  guint       timeout_ms;
  guint       tombstone_ms;
  GHashTable *by_id;       /* id -> Entry, pending only */
  GHashTable *by_href;     /* href key -> Entry (borrowed) */
  GHashTable *dead_ids;    /* id -> gint64 expiry (monotonic µs) */
  GHashTable *dead_hrefs;  /* href key -> gint64 expiry */
  GHashTable *orphans;     /* href key -> Orphan: completions nobody claimed */
  guint       sweep_id;
  guint       busy;        /* nesting depth of code that runs callbacks */
  guint64     next_serial;
  gboolean    freeing;
};

/* A `completed` event that matched no entry.  Events without an
 * operationId (the reference's sendMessage traces carry none) can only be
 * matched by href, and the href arrives with the 201, which may come after
 * the events: such a completion waits here for its 201. */
typedef struct {
  gint64      expiry;  /* first, so that sweep_expired() reads it */
  char       *status;
  JsonObject *reason;
  JsonObject *resource;
} Orphan;

static void
orphan_free (gpointer data)
{
  Orphan *orphan = data;

  g_free (orphan->status);
  g_clear_pointer (&orphan->reason, json_object_unref);
  g_clear_pointer (&orphan->resource, json_object_unref);
  g_free (orphan);
}

static void
entry_free (Entry *entry)
{
  g_ptr_array_unref (entry->hrefs);
  g_free (entry->id);
  g_free (entry);
}

/* The part of an href that identifies a resource: the same operation may be
 * named by an absolute Location (`https://host/ucwa/...`) and by a relative
 * event href (`/ucwa/...`), so the scheme and authority are dropped. */
static char *
href_key (const char *href)
{
  g_autofree char *scheme = g_uri_parse_scheme (href);
  const char *rest = href;

  if (scheme != NULL)
    rest = href + strlen (scheme) + 1;

  if (g_str_has_prefix (rest, "//"))
    {
      rest += 2;
      rest += strcspn (rest, "/?#");
      return *rest == '\0' ? g_strdup ("/") : g_strdup (rest);
    }

  return g_strdup (href);
}

static gboolean
tombstoned (GHashTable *table,
            const char *key)
{
  const gint64 *expiry = g_hash_table_lookup (table, key);

  /* Checked here rather than trusting the sweep timer, so that expiry is
   * exact whatever the main loop does. */
  return expiry != NULL && *expiry > g_get_monotonic_time ();
}

static gboolean
sweep_expired (GHashTable *table,
               gint64      now)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (*(gint64 *) value <= now)
      g_hash_table_iter_remove (&iter);

  return g_hash_table_size (table) > 0;
}

static gboolean
on_sweep (gpointer data)
{
  UcwaOperations *ops = data;
  gint64 now = g_get_monotonic_time ();
  gboolean ids_left = sweep_expired (ops->dead_ids, now);
  gboolean hrefs_left = sweep_expired (ops->dead_hrefs, now);
  gboolean orphans_left = sweep_expired (ops->orphans, now);

  if (ids_left || hrefs_left || orphans_left)
    return G_SOURCE_CONTINUE;

  ops->sweep_id = 0;
  return G_SOURCE_REMOVE;
}

static void
bury (UcwaOperations *ops,
      Entry          *entry)
{
  gint64 expiry;

  if (ops->tombstone_ms == 0)
    return;

  expiry = g_get_monotonic_time () + (gint64) ops->tombstone_ms * 1000;

  g_hash_table_replace (ops->dead_ids, g_strdup (entry->id),
                        g_memdup2 (&expiry, sizeof expiry));
  for (guint i = 0; i < entry->hrefs->len; i++)
    g_hash_table_replace (ops->dead_hrefs,
                          g_strdup (g_ptr_array_index (entry->hrefs, i)),
                          g_memdup2 (&expiry, sizeof expiry));

  /* Memory stays bounded: whatever finished more than two tombstone
   * periods ago has been swept. */
  if (ops->sweep_id == 0)
    ops->sweep_id = g_timeout_add (ops->tombstone_ms, on_sweep, ops);
}

static void
destroy_registry (UcwaOperations *ops)
{
  g_clear_handle_id (&ops->sweep_id, g_source_remove);
  g_hash_table_destroy (ops->by_href);
  g_hash_table_destroy (ops->by_id);
  g_hash_table_destroy (ops->dead_ids);
  g_hash_table_destroy (ops->dead_hrefs);
  g_hash_table_destroy (ops->orphans);
  g_free (ops);
}

static void
enter (UcwaOperations *ops)
{
  ops->busy++;
}

/* Returns FALSE when @ops has just been freed. */
static gboolean
leave (UcwaOperations *ops)
{
  if (--ops->busy == 0 && ops->freeing)
    {
      destroy_registry (ops);
      return FALSE;
    }
  return TRUE;
}

/* Ends @entry exactly once.  It leaves every index first, so whatever the
 * callback does to the registry cannot reach it again. */
static void
finish (UcwaOperations *ops,
        Entry          *entry,
        JsonObject     *resource,
        const GError   *error)
{
  g_hash_table_steal (ops->by_id, entry->id);
  for (guint i = 0; i < entry->hrefs->len; i++)
    {
      const char *key = g_ptr_array_index (entry->hrefs, i);

      if (g_hash_table_lookup (ops->by_href, key) == entry)
        g_hash_table_remove (ops->by_href, key);
    }
  g_clear_handle_id (&entry->timeout_id, g_source_remove);
  bury (ops, entry);

  g_debug ("operation %s finished: %s", entry->id,
           error != NULL ? error->message : "success");

  enter (ops);
  entry->callback (entry->id, resource, error, entry->user_data);
  if (entry->destroy != NULL)
    entry->destroy (entry->user_data);
  entry_free (entry);
  leave (ops);
}

static void
index_href (UcwaOperations *ops,
            Entry          *entry,
            const char     *href)
{
  g_autofree char *key = NULL;
  Entry *owner;

  if (href == NULL || *href == '\0')
    return;

  key = href_key (href);
  owner = g_hash_table_lookup (ops->by_href, key);
  if (owner == entry)
    return;
  if (owner != NULL)
    {
      g_debug ("href %s already belongs to operation %s, not to %s",
               key, owner->id, entry->id);
      return;
    }

  g_ptr_array_add (entry->hrefs, g_strdup (key));
  g_hash_table_insert (ops->by_href, g_steal_pointer (&key), entry);
}

static gboolean
on_timeout (gpointer data)
{
  Entry *entry = data;
  g_autoptr(GError) error = NULL;

  entry->timeout_id = 0;
  error = g_error_new_literal (UCWA_ERROR, UCWA_ERROR_TIMEOUT,
                               _("The server did not complete the operation in time"));
  finish (entry->ops, entry, NULL, error);

  return G_SOURCE_REMOVE;
}

UcwaOperations *
ucwa_operations_new (guint timeout_ms,
                     guint tombstone_ms)
{
  UcwaOperations *ops = g_new0 (UcwaOperations, 1);

  ops->timeout_ms = timeout_ms;
  ops->tombstone_ms = tombstone_ms;
  ops->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  ops->by_href = g_hash_table_new_full (ucwa_href_hash,
                                        (GEqualFunc) ucwa_href_equal,
                                        g_free, NULL);
  ops->dead_ids = g_hash_table_new_full (g_str_hash, g_str_equal,
                                         g_free, g_free);
  ops->dead_hrefs = g_hash_table_new_full (ucwa_href_hash,
                                           (GEqualFunc) ucwa_href_equal,
                                           g_free, g_free);
  ops->orphans = g_hash_table_new_full (ucwa_href_hash,
                                        (GEqualFunc) ucwa_href_equal,
                                        g_free, orphan_free);
  return ops;
}

static void
cancel_everything (UcwaOperations *ops)
{
  g_autoptr(GError) error =
    g_error_new_literal (UCWA_ERROR, UCWA_ERROR_CANCELLED,
                         _("The operation was cancelled"));

  /* Until empty: a callback may register another operation, which must not
   * outlive the registry. */
  while (g_hash_table_size (ops->by_id) > 0)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, ops->by_id);
      g_hash_table_iter_next (&iter, NULL, &value);
      finish (ops, value, NULL, error);
    }
}

void
ucwa_operations_free (UcwaOperations *ops)
{
  if (ops == NULL || ops->freeing)
    return;

  ops->freeing = TRUE;
  enter (ops);
  cancel_everything (ops);
  /* Called from inside a callback: the outermost leave() frees. */
  leave (ops);
}

const char *
ucwa_operations_register (UcwaOperations    *ops,
                          UcwaOperationFunc  callback,
                          gpointer           user_data,
                          GDestroyNotify     destroy)
{
  Entry *entry;
  char *id;

  g_return_val_if_fail (ops != NULL, NULL);
  g_return_val_if_fail (callback != NULL, NULL);

  /* 36 characters, within UCWA's 50; a collision is practically impossible
   * but cheap to rule out, tombstones included. */
  for (;;)
    {
      id = g_uuid_string_random ();
      if (!g_hash_table_contains (ops->by_id, id) &&
          !g_hash_table_contains (ops->dead_ids, id))
        break;
      g_free (id);
    }

  entry = g_new0 (Entry, 1);
  entry->id = id;
  entry->serial = ops->next_serial++;
  entry->hrefs = g_ptr_array_new_with_free_func (g_free);
  entry->callback = callback;
  entry->user_data = user_data;
  entry->destroy = destroy;
  entry->ops = ops;

  g_hash_table_insert (ops->by_id, entry->id, entry);
  if (ops->timeout_ms > 0 && !ops->freeing)
    entry->timeout_id = g_timeout_add (ops->timeout_ms, on_timeout, entry);

  return entry->id;
}

static void complete (UcwaOperations *ops, Entry *entry, const char *status,
                      JsonObject *reason, JsonObject *resource);

static void
keep_orphan (UcwaOperations *ops,
             const char     *key,
             const char     *status,
             JsonObject     *reason,
             JsonObject     *resource)
{
  Orphan *orphan;

  if (ops->tombstone_ms == 0 || key == NULL)
    return;
  orphan = g_new0 (Orphan, 1);
  orphan->expiry = g_get_monotonic_time () + (gint64) ops->tombstone_ms * 1000;
  orphan->status = g_strdup (status);
  orphan->reason = reason ? json_object_ref (reason) : NULL;
  orphan->resource = resource ? json_object_ref (resource) : NULL;
  g_hash_table_replace (ops->orphans, g_strdup (key), orphan);
  if (ops->sweep_id == 0)
    ops->sweep_id = g_timeout_add (ops->tombstone_ms, on_sweep, ops);
}

/* The 201 names an href whose completion already came: finish now. */
static void
adopt_orphan (UcwaOperations *ops,
              Entry          *entry,
              const char     *location)
{
  g_autofree char *key = NULL;
  Orphan *orphan;

  if (location == NULL || *location == '\0')
    return;
  key = href_key (location);
  orphan = g_hash_table_lookup (ops->orphans, key);
  if (orphan == NULL)
    return;
  {
    gpointer stolen_key;

    g_hash_table_steal_extended (ops->orphans, key, &stolen_key, NULL);
    g_free (stolen_key);
  }
  if (orphan->expiry > g_get_monotonic_time ())
    complete (ops, entry, orphan->status, orphan->reason, orphan->resource);
  orphan_free (orphan);
}

void
ucwa_operations_post_succeeded (UcwaOperations *ops,
                                const char     *operation_id,
                                const char     *location)
{
  Entry *entry;

  g_return_if_fail (ops != NULL);
  g_return_if_fail (operation_id != NULL);

  entry = g_hash_table_lookup (ops->by_id, operation_id);
  if (entry == NULL)
    {
      /* Usually the events won the race and finished it already. */
      g_debug ("201 for %s operation %s ignored",
               tombstoned (ops->dead_ids, operation_id) ? "finished" : "unknown",
               operation_id);
      return;
    }

  index_href (ops, entry, location);
  adopt_orphan (ops, entry, location);
}

void
ucwa_operations_post_failed (UcwaOperations *ops,
                             const char     *operation_id,
                             const GError   *error)
{
  g_autoptr(GError) fallback = NULL;
  Entry *entry;

  g_return_if_fail (ops != NULL);
  g_return_if_fail (operation_id != NULL);

  entry = g_hash_table_lookup (ops->by_id, operation_id);
  if (entry == NULL)
    {
      g_debug ("failed POST of %s operation %s ignored",
               tombstoned (ops->dead_ids, operation_id) ? "finished" : "unknown",
               operation_id);
      return;
    }

  if (error == NULL)
    error = fallback = g_error_new_literal (UCWA_ERROR, UCWA_ERROR_NETWORK,
                                            _("The request failed"));
  finish (ops, entry, NULL, error);
}

static gboolean
status_is_success (const char *status)
{
  /* Events say "Success"; the reference's Status enum says "Succeeded". */
  return g_ascii_strcasecmp (status, "Success") == 0 ||
         g_ascii_strcasecmp (status, "Succeeded") == 0;
}

static GError *
failure_error (const char *status,
               JsonObject *reason)
{
  const char *text = ucwa_resource_get_string (reason, "message");

  if (text == NULL || *text == '\0')
    text = ucwa_resource_get_string (reason, "subcode");
  if (text == NULL || *text == '\0')
    text = ucwa_resource_get_string (reason, "code");
  if (text != NULL && *text != '\0')
    return g_error_new_literal (UCWA_ERROR, UCWA_ERROR_OPERATION_FAILED, text);

  if (status != NULL)
    return g_error_new (UCWA_ERROR, UCWA_ERROR_OPERATION_FAILED,
                        _("The operation ended with status %s"), status);

  return g_error_new_literal (UCWA_ERROR, UCWA_ERROR_OPERATION_FAILED,
                              _("The operation failed"));
}

static void
complete (UcwaOperations *ops,
          Entry          *entry,
          const char     *status,
          JsonObject     *reason,
          JsonObject     *resource)
{
  g_autoptr(GError) error = NULL;
  gboolean success;

  /* A `completed` with neither status nor reason counts as success: every
   * completion in the reference traces carries `status`, failures always
   * explain themselves with a `reason`, and aggregation merges events into
   * the latest state, which may drop the status; failing a delivered
   * message or an accepted invitation would be the worse mistake. */
  if (status != NULL)
    success = status_is_success (status);
  else
    success = reason == NULL;

  if (success)
    {
      finish (ops, entry, resource, NULL);
      return;
    }

  error = failure_error (status, reason);
  finish (ops, entry, NULL, error);
}

gboolean
ucwa_operations_handle_event (UcwaOperations *ops,
                              const char     *type,
                              const char     *href,
                              const char     *status,
                              JsonObject     *reason,
                              JsonObject     *resource)
{
  const char *operation_id;
  g_autofree char *key = NULL;
  Entry *entry = NULL;

  g_return_val_if_fail (ops != NULL, FALSE);

  operation_id = ucwa_resource_get_string (resource, "operationId");
  if (href != NULL && *href != '\0')
    key = href_key (href);

  if (operation_id != NULL)
    {
      entry = g_hash_table_lookup (ops->by_id, operation_id);
      if (entry == NULL && tombstoned (ops->dead_ids, operation_id))
        {
          g_debug ("late %s event of finished operation %s dropped",
                   type, operation_id);
          return TRUE;
        }
      if (entry != NULL)
        index_href (ops, entry, href);
    }

  if (entry == NULL && key != NULL)
    {
      entry = g_hash_table_lookup (ops->by_href, key);
      if (entry == NULL && tombstoned (ops->dead_hrefs, key))
        {
          g_debug ("late %s event of finished operation %s dropped", type, key);
          return TRUE;
        }
    }

  if (entry == NULL)
    {
      if (g_strcmp0 (type, "completed") == 0 && operation_id == NULL)
        keep_orphan (ops, key, status, reason, resource);
      return FALSE;
    }

  if (g_strcmp0 (type, "completed") == 0)
    complete (ops, entry, status, reason, resource);
  else
    g_debug ("operation %s: %s", entry->id, type != NULL ? type : "(no type)");

  /* Nothing may touch @ops here: a callback may have freed it. */
  return TRUE;
}

static gint
by_serial (gconstpointer a,
           gconstpointer b)
{
  const Entry *x = *(Entry *const *) a;
  const Entry *y = *(Entry *const *) b;

  return x->serial < y->serial ? -1 : x->serial > y->serial;
}

void
ucwa_operations_fail_all (UcwaOperations *ops,
                          const GError   *error)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (ops != NULL);
  g_return_if_fail (error != NULL);

  /* What is pending now, oldest first, so a front end hears about texts in
   * the order they were typed; an operation a callback registers meanwhile
   * was started after this and stays. */
  g_hash_table_iter_init (&iter, ops->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (entries, value);
  g_ptr_array_sort (entries, by_serial);
  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (ids, g_strdup (((Entry *) entries->pdata[i])->id));

  enter (ops);
  for (guint i = 0; i < ids->len; i++)
    {
      Entry *entry = g_hash_table_lookup (ops->by_id, g_ptr_array_index (ids, i));

      if (entry != NULL)
        finish (ops, entry, NULL, error);
    }
  leave (ops);
}

void
ucwa_operations_cancel_all (UcwaOperations *ops)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ops != NULL);

  error = g_error_new_literal (UCWA_ERROR, UCWA_ERROR_CANCELLED,
                               _("The operation was cancelled"));
  ucwa_operations_fail_all (ops, error);
}

guint
ucwa_operations_pending_count (UcwaOperations *ops)
{
  g_return_val_if_fail (ops != NULL, 0);

  return g_hash_table_size (ops->by_id);
}

gboolean
ucwa_operations_is_pending (UcwaOperations *ops,
                            const char     *operation_id)
{
  g_return_val_if_fail (ops != NULL, FALSE);

  return operation_id != NULL && g_hash_table_contains (ops->by_id, operation_id);
}
