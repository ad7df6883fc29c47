// CBLAS from OpenBLAS (Debian: libopenblas-dev). Only the C interface is used.
#include <cblas.h>

// OpenBLAS's own thread control, declared here so Swift sees it whatever the header version.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
