/* ucwa-error.c: the core's error domain. */
#include "ucwa-error.h"

G_DEFINE_QUARK (ucwa-error-quark, ucwa_error)
