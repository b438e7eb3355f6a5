// Header-only: see include/prefetch.h.
#include "prefetch.h"
