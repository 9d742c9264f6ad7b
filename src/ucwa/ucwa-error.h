/* ucwa-error.h: the error domain of the protocol core.
 *
 * Every failure that leaves the core is a GError in UCWA_ERROR, so that a
 * front end can decide from the code alone whether to reconnect.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UCWA_ERROR (ucwa_error_quark ())
GQuark ucwa_error_quark (void);

typedef enum {
  UCWA_ERROR_NETWORK,          /* transport trouble or 5xx: worth retrying */
  UCWA_ERROR_AUTHENTICATION,   /* wrong password, grant refused */
  UCWA_ERROR_INVALID_SETTINGS, /* bad address, bad or insecure server URL */
  UCWA_ERROR_PROTOCOL,         /* the server answered something we cannot use */
  UCWA_ERROR_SERVER,           /* a UCWA error body (code/subcode/message) */
  UCWA_ERROR_OPERATION_FAILED, /* an operation completed with Failure */
  UCWA_ERROR_TIMEOUT,          /* an operation did not complete in time */
  UCWA_ERROR_CANCELLED,        /* sign-out while the operation was pending */
  UCWA_ERROR_SESSION_ENDED,    /* the server ended our application for good */
  UCWA_ERROR_CERTIFICATE,      /* the server's TLS certificate was refused */
} UcwaErrorCode;

G_END_DECLS
