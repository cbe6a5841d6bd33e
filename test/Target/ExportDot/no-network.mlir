// RUN: not tn-translate --export-dot %s 2>&1 | FileCheck %s
// CHECK: error: no tn.network to draw
func.func @empty() {
  return
}
