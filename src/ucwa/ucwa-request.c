/* ucwa-request.c: one HTTP exchange with a UCWA server. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ucwa-error.h"
#include "ucwa-request.h"
#include "ucwa-resource.h"

gboolean
ucwa_url_is_acceptable (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme, *host;

  if (url == NULL)
    return FALSE;
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") != 0)
    return FALSE;

  /* Plain http is only for a server on this machine (the mock, a tunnel). */
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_strcmp0 (host, "::1") == 0)
    return TRUE;
  if (g_hostname_is_ip_address (host))
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);
      return address != NULL && g_inet_address_get_is_loopback (address);
    }
  return FALSE;
}

SoupMessage *
ucwa_request_new (const char  *method,
                  const char  *url,
                  const char  *token,
                  GError     **error)
{
  SoupMessage *message;
  SoupMessageHeaders *headers;

  g_return_val_if_fail (method != NULL, NULL);

  if (!ucwa_url_is_acceptable (url))
    {
      g_set_error (error, UCWA_ERROR, UCWA_ERROR_INVALID_SETTINGS,
                   _("Refusing to contact %s: the server must use https "
                     "(plain http is accepted only on this machine)"),
                   url ? url : "(null)");
      return NULL;
    }

  message = soup_message_new (method, url);
  if (message == NULL)
    {
      g_set_error (error, UCWA_ERROR, UCWA_ERROR_INVALID_SETTINGS,
                   _("Not a valid server URL: %s"), url);
      return NULL;
    }

  /* Redirects are not followed: one could lead from https to plain http,
   * or send the password form to another host. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (headers, "Authorization", value);
    }
  return message;
}

typedef struct {
  SoupMessage      *message;
  UcwaResponseFunc  callback;
  gpointer          user_data;
} UcwaRequestData;

static gboolean
is_json (SoupMessage *message)
{
  const char *type = soup_message_headers_get_content_type (
      soup_message_get_response_headers (message), NULL);

  return type != NULL && strstr (type, "json") != NULL;
}

/* Builds the error of a non-2xx answer, using the UCWA error body when there
 * is one: only `code` is guaranteed, and proxies may send no body at all. */
static GError *
error_from_status (UcwaResponse *response)
{
  JsonObject *object = ucwa_response_get_object (response);
  const char *code = ucwa_resource_get_string (object, "code");
  const char *message = ucwa_resource_get_string (object, "message");
  guint status = response->status;
  int error_code;

  if (status >= 500 || status == 408 || status == 429)
    error_code = UCWA_ERROR_NETWORK;
  else if (status == 401)
    error_code = UCWA_ERROR_AUTHENTICATION;
  else
    error_code = UCWA_ERROR_SERVER;

  if (message != NULL && *message != '\0')
    return g_error_new (UCWA_ERROR, error_code, "%s", message);
  if (code != NULL)
    return g_error_new (UCWA_ERROR, error_code, _("The server answered %u %s (%s%s%s)"),
                        status, soup_status_get_phrase (status), code,
                        response->subcode ? "/" : "",
                        response->subcode ? response->subcode : "");
  return g_error_new (UCWA_ERROR, error_code, _("The server answered %u %s"),
                      status, soup_status_get_phrase (status));
}

static void
on_send_and_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  UcwaRequestData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  UcwaResponse response = { data->message, 0, NULL, NULL, NULL };

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (error->domain == G_TLS_ERROR)
        {
          GError *certificate = g_error_new (UCWA_ERROR, UCWA_ERROR_CERTIFICATE,
                                             _("The server's certificate was refused: %s"),
                                             error->message);
          g_clear_error (&error);
          error = certificate;
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GError *network = g_error_new (UCWA_ERROR, UCWA_ERROR_NETWORK,
                                         _("Could not reach the server: %s"),
                                         error->message);
          g_clear_error (&error);
          error = network;
        }
      data->callback (&response, error, data->user_data);
      goto out;
    }

  response.status = soup_message_get_status (data->message);
  response.body = body;
  if (g_bytes_get_size (body) > 0 && is_json (data->message))
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      gsize size;
      const char *text = g_bytes_get_data (body, &size);

      if (json_parser_load_from_data (parser, text, size, NULL))
        response.json = json_node_ref (json_parser_get_root (parser));
    }
  response.subcode = ucwa_resource_get_string (ucwa_response_get_object (&response),
                                               "subcode");

  if (!SOUP_STATUS_IS_SUCCESSFUL (response.status))
    error = error_from_status (&response);

  data->callback (&response, error, data->user_data);
  g_clear_pointer (&response.json, json_node_unref);

out:
  g_object_unref (data->message);
  g_free (data);
}

void
ucwa_request_send (SoupSession      *session,
                   SoupMessage      *message,
                   GCancellable     *cancellable,
                   UcwaResponseFunc  callback,
                   gpointer          user_data)
{
  UcwaRequestData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (callback != NULL);

  data = g_new0 (UcwaRequestData, 1);
  data->message = g_object_ref (message);
  data->callback = callback;
  data->user_data = user_data;
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT,
                                    cancellable, on_send_and_read, data);
}

char *
ucwa_response_get_location (UcwaResponse *response)
{
  const char *location = soup_message_headers_get_one (
      soup_message_get_response_headers (response->message), "Location");
  g_autofree char *base = NULL;

  if (location == NULL || *location == '\0')
    return NULL;
  base = g_uri_to_string (soup_message_get_uri (response->message));
  return ucwa_resource_resolve (base, location);
}

JsonObject *
ucwa_response_get_object (UcwaResponse *response)
{
  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return NULL;
  return json_node_get_object (response->json);
}
