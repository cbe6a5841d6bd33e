//===- TNEnums.td - Enums of the tn dialect ----------------*- tablegen -*-===//

#ifndef TN_ENUMS_TD
#define TN_ENUMS_TD

include "mlir/IR/EnumAttr.td"

def TN_WeightMode : I32EnumAttr<"WeightMode",
    "how the discarded-weight cutoff is measured", [
      I32EnumAttrCase<"rsum2", 0>,
      I32EnumAttrCase<"sum2", 1>,
      I32EnumAttrCase<"rsum1", 2>,
      I32EnumAttrCase<"sum1", 3>
    ]> {
  let cppNamespace = "::mlir::tn";
  let genSpecializedAttr = 0;
}

def TN_AbsorbMode : I32EnumAttr<"AbsorbMode",
    "where the singular values are absorbed", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"left", 1>,
      I32EnumAttrCase<"right", 2>,
      I32EnumAttrCase<"both", 3>
    ]> {
  let cppNamespace = "::mlir::tn";
  let genSpecializedAttr = 0;
}

def TN_RenormMode : I32EnumAttr<"RenormMode",
    "how the kept singular values are renormalized", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"keep_l1", 1>,
      I32EnumAttrCase<"keep_l2", 2>,
      I32EnumAttrCase<"unit_l1", 3>,
      I32EnumAttrCase<"unit_l2", 4>,
      I32EnumAttrCase<"unit_linf", 5>
    ]> {
  let cppNamespace = "::mlir::tn";
  let genSpecializedAttr = 0;
}

#endif // TN_ENUMS_TD
