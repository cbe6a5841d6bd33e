// Placeholder; being written.
#include "tn/Path/Optimal.h"
