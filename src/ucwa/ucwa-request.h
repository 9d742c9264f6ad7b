/* ucwa-request.h: one HTTP exchange with a UCWA server.
 *
 * Sends a SoupMessage, reads the whole answer, parses a JSON body and turns
 * transport failures, HTTP errors and UCWA error bodies
 * ({"code","subcode","message"}) into a GError in UCWA_ERROR.  A cancelled
 * request reports G_IO_ERROR_CANCELLED and its callback must not touch
 * anything that may have been freed.
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  SoupMessage *message;  /* the exchange; response headers live here */
  guint        status;   /* 0 when the request never got an answer */
  GBytes      *body;     /* never NULL after an answer */
  JsonNode    *json;     /* the parsed body, NULL unless it was JSON */
  const char  *subcode;  /* the UCWA error subcode, NULL if none */
} UcwaResponse;

/* @error is NULL on 2xx.  @response is valid only during the call. */
typedef void (*UcwaResponseFunc) (UcwaResponse *response,
                                  const GError *error,
                                  gpointer      user_data);

/* Creates a message for @url with the headers every UCWA request carries
 * (Accept: application/json, and Authorization when @token is set).  Returns
 * NULL with @error set when @url is not a URL or is plain http to a host that
 * is not loopback. */
SoupMessage *ucwa_request_new (const char  *method,
                               const char  *url,
                               const char  *token,
                               GError     **error);

void ucwa_request_send (SoupSession      *session,
                        SoupMessage      *message,
                        GCancellable     *cancellable,
                        UcwaResponseFunc  callback,
                        gpointer          user_data);

/* The Location header resolved against the request URL, or NULL. */
char *ucwa_response_get_location (UcwaResponse *response);

/* The root object of a JSON body, or NULL. */
JsonObject *ucwa_response_get_object (UcwaResponse *response);

/* TRUE when @url is https, or http to a loopback host. */
gboolean ucwa_url_is_acceptable (const char *url);

G_END_DECLS
