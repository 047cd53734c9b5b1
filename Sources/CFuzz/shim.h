// libFuzzer's driver (libclang_rt.fuzzer_no_main), called by chiiki-fuzz only in the fuzzing
// build (make fuzz links it); the ordinary build never references it.
#ifndef CHIIKI_CFUZZ_SHIM_H
#define CHIIKI_CFUZZ_SHIM_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
