// Placeholder; being written.
#include "tn/Path/Greedy.h"
