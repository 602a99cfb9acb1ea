#include "base/alloc.h"
#include "cli.h"

int main(int argc, char **argv) {
  kith_alloc_init();
  return kith_cli_main(argc, argv);
}
