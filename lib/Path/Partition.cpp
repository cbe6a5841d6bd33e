// Placeholder; being written.
#include "tn/Path/Partition.h"
