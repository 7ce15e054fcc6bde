"""The one catalogue of error messages (错误信息).

Every message a learner can meet is written here once, in PyTorch's exact words,
so that code written for PyTorch fails the same way under learntorch.  Raise with
``raise RuntimeError(msg("key", ...))`` (the exception class is PyTorch's too:
see ``CLASSES``) or with the shortcut ``fail("key", ...)``.  Tests in
``tests/test_errors.py`` pin every text against real PyTorch.
"""

MESSAGES = {
    # --- autograd ---------------------------------------------------------
    "inplace_leaf": "a leaf Variable that requires grad is being used in an in-place operation.",
    "inplace_leaf_view": "a view of a leaf Variable that requires grad is being used in an in-place operation.",
    "backward_twice": (
        "Trying to backward through the graph a second time (or directly access saved tensors after they "
        "have already been freed). Saved intermediate values of the graph are freed when you call .backward() "
        "or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time "
        "or if you need to access saved tensors after calling backward."
    ),
    # PyTorch words "integer tensors cannot require grad" three ways:
    "int_requires_grad_factory": "Only Tensors of floating point and complex dtype can require gradients",
    "int_requires_grad_method": "only Tensors of floating point dtype can require gradients",
    "int_requires_grad_attr": "only Tensors of floating point and complex dtype can require gradients",
    "nonscalar_backward": "grad can be implicitly created only for scalar outputs",
    "no_grad_fn": "element {i} of tensors does not require grad and does not have a grad_fn",
    "grad_input_no_grad": "One of the differentiated Tensors does not require grad",
    "grad_unused": (
        "One of the differentiated Tensors appears to not have been used in the graph. "
        "Set allow_unused=True if this is the desired behavior."
    ),
    "modified_inplace": (
        "one of the variables needed for gradient computation has been modified by an inplace operation: "
        "[{type} [{shape}]], which is output {out} of {node}, is at version {version}; expected version "
        "{expected} instead. Hint: enable anomaly detection to find the operation that failed to compute its "
        "gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
    ),
    "nonleaf_grad_warning": (
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
        "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "
        "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor "
        "by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 "
        "for more information."
    ),
    "grad_shape": "Mismatch in shape: grad_output[0] has a shape of {got} and output[0] has a shape of {want}.",
    "retain_grad_leaf_nograd": "can't retain_grad on Tensor that has requires_grad=False",
    "hook_nograd": "cannot register a hook on a tensor that doesn't require gradient",
    "set_requires_grad_nonleaf": (
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable "
        "in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
    ),
    # --- shapes and views ---------------------------------------------------
    "view_noncontig": (
        "view size is not compatible with input tensor's size and stride (at least one dimension spans across "
        "two contiguous subspaces). Use .reshape(...) instead."
    ),
    "bad_shape": "shape '{shape}' is invalid for input of size {numel}",
    "infer_two": "only one dimension can be inferred",
    "broadcast": "The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton dimension {dim}",
    "broadcast_inplace": "output with shape {out} doesn't match the broadcast shape {shape}",
    "expand": (
        "The expanded size of the tensor ({new}) must match the existing size ({old}) at non-singleton "
        "dimension {dim}.  Target sizes: {target}.  Tensor sizes: {sizes}"
    ),
    "expand_ndim": (
        "expand({type}{{{sizes}}}, size={target}): the number of sizes provided ({n}) must be greater or "
        "equal to the number of dimensions in the tensor ({ndim})"
    ),
    "dim_range": "Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})",
    "dim_twice": "dim {dim} appears multiple times in the list of dims",
    "permute_len": (
        "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
        "desired ordering of dimensions i.e. input.dim() = {ndim} is not equal to len(dims) = {n}"
    ),
    "permute_dup": "permute(): duplicate dims are not allowed.",
    "cat_sizes": (
        "Sizes of tensors must match except in dimension {dim}. Expected size {want} but got size {got} "
        "for tensor number {i} in the list."
    ),
    "cat_ndim": "Tensors must have same number of dimensions: got {a} and {b}",
    "cat_empty": "torch.cat(): expected a non-empty list of Tensors",
    "stack_sizes": "stack expects each tensor to be equal size, but got {a} at entry 0 and {b} at entry {i}",
    "stack_empty": "stack expects a non-empty TensorList",
    "narrow": "start ({start}) + length ({length}) exceeds dimension size ({size}).",
    "narrow_start": "start out of range (expected to be in range of [{lo}, {hi}], but got {start})",
    "narrow_length": "narrow(): length must be non-negative.",
    "narrow_0d": "narrow() cannot be applied to a 0-dim tensor.",
    "shape_dim_invalid": "invalid shape dimension {size} at index {i} of shape {shape}",
    "infer_zero": (
        "cannot reshape tensor of 0 elements into shape {shape} because the unspecified dimension size -1 can "
        "be any value and is ambiguous"
    ),
    "expand_lead": "The expanded size of the tensor ({size}) isn't allowed in a leading, non-existing dimension {dim}",
    "t_dims": "t() expects a tensor with <= 2 dimensions, but self is {n}D",
    "mT_dims": "tensor.mT is only supported on matrices or batches of matrices. Got {n}-D tensor.",
    "T_deprecated": (
        "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and it will "
        "throw an error in a future release. Consider `x.mT` to transpose batches of matrices or "
        "`x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor."
    ),
    "negative_dim_create": "Trying to create tensor with negative dimension {size}: {shape}",
    "cat_0d": "zero-dimensional tensor (at position {i}) cannot be concatenated",
    "split_sizes": (
        "split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at dimension {dim}), "
        "but got split_sizes={sizes}"
    ),
    "split_negative": "split expects split_size be non-negative, but got split_size={n}",
    "split_0d": "split expects at least a 1-dimensional tensor",
    "chunk_zero": "chunk expects `chunks` to be greater than 0, got: {n}",
    "chunk_0d": "chunk expects at least a 1-dimensional tensor",
    "no_dims": "Dimension specified as {dim} but tensor has no dimensions",
    "movedim_repeat": "movedim: repeated dim in `{which}` ({dims})",
    "movedim_len": (
        "movedim: Invalid source or destination dims: source ({src} dims) should contain the same number of "
        "dims as destination ({dst} dims)"
    ),
    "unflatten_sizes": (
        "unflatten: Provided sizes {sizes} don't multiply up to the size of dim {dim} ({size}) in the input tensor"
    ),
    "repeat_dims": "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
    "flatten_dims": "flatten() has invalid args: start_dim cannot come after end_dim",
    "split_zero": "split_size can only be 0 if dimension size is 0, but got dimension size of {size}",
    "negative_dim": "{fn}: Dimension size must be non-negative.",
    # --- matmul -------------------------------------------------------------
    "mm_shapes": "mat1 and mat2 shapes cannot be multiplied ({a0}x{a1} and {b0}x{b1})",
    "dot_sizes": (
        "inconsistent tensor size, expected tensor [{a}] and src [{b}] to have the same number of elements, "
        "but got {a} and {b} elements respectively"
    ),
    "dot_1d": "1D tensors expected, but got {a}D and {b}D tensors",
    "dot_dtype": "dot : expected both vectors to have same dtype, but found {a} and {b}",
    "mm_dtype": "expected m1 and m2 to have the same dtype, but got: {a} != {b}",
    "mv_sizes": "size mismatch, got input ({n}), mat ({m0}x{m1}), vec ({v})",
    "bmm_sizes": "Expected size for first two dimensions of batch2 tensor to be: [{b}, {k}] but got: [{b2}, {k2}].",
    "bmm_3d": "batch1 must be a 3D tensor",
    "bmm_3d_2": "batch2 must be a 3D tensor",
    "matmul_0d": "both arguments to matmul need to be at least 1D, but they are {a}D and {b}D",
    "mm_2d": "self must be a matrix",
    "mm_2d_2": "mat2 must be a matrix",
    "addmm_2d": "{name} must be a matrix, got {n}-D tensor",
    "addmm_dtype": "{name} and mat2 must have the same dtype, but got {a} and {b}",
    "mv_dims": "vector + matrix @ vector expected, got 1, {m}, {v}",
    "mv_dtype": "addmv input tensors must have the same dtype, but got {v}, {m}, and {v}",
    "bmm_dtype": "expected scalar type {a} but found {b}",
    "outer_1d": "outer: Expected 1-D argument {name}, but got {n}-D",
    "not_implemented": "\"{op}\" not implemented for '{dtype}'",
    # --- values, dtypes and conversion --------------------------------------
    "numpy_requires_grad": "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.",
    "numpy_cuda": (
        "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first."
    ),
    "item_many": "a Tensor with {n} elements cannot be converted to Scalar",
    "cast_result": "result type {src} can't be cast to the desired output type {dst}",
    "mean_dtype": (
        "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
        "Got: {dtype}"
    ),
    "std_dtype": "std and var only support floating point and complex dtypes",
    "bool_sub": (
        "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` "
        "operator instead."
    ),
    "bool_neg": (
        "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use "
        "the `~` or `logical_not()` operator instead."
    ),
    "empty_reduce": (
        "{fn}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with "
        "the 'dim' argument."
    ),
    "empty_reduce_arg": "{fn}(): Expected reduction dim to be specified for input.numel() == 0.",
    "empty_reduce_dim": "{fn}(): Expected reduction dim {dim} to have non-zero size.",
    "arg_bool": "{fn}(): does not support bool input",
    "mean_opt_dtype": (
        "mean(): could not infer output dtype. Optional dtype must be either a floating point or complex dtype. "
        "Got: {dtype}"
    ),
    "dof_warning": (
        "{fn}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor "
        "(input numel divided by output numel)."
    ),
    "norm_dtype": "linalg.vector_norm: Expected a floating point or complex tensor as input. Got {dtype}",
    "norm_empty": (
        "linalg.vector_norm cannot compute the {p} norm on an empty tensor because the operation does not have "
        "an identity"
    ),
    "norm_empty_dim": (
        "linalg.vector_norm cannot compute the {p} norm on the dimension {dim}because this dimension is empty and "
        "the operation does not have an identity"
    ),
    "matrix_norm_order": "linalg.matrix_norm: Order {p} not supported.",
    "matrix_norm_dim": "linalg.matrix_norm: dim must be a 2-tuple. Got {dims}",
    "autograd_dtype": "Autograd not support dtype: {dtype}",
    "ragged": "expected sequence of length {want} at dim {dim} (got {got})",
    "bad_data": "new(): invalid data type '{type}'",
    "div_mode": "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{mode}'",
    "step_zero": "step must be nonzero",
    "randint_range": "random_ expects 'from' to be less than 'to', but got from={low} >= to={high}",
    "clamp_none": "torch.clamp: At least one of 'min' or 'max' must not be None",
    "where_cond": "where expected condition to be a boolean tensor, but got a tensor with dtype {dtype}",
    "masked_fill_mask": "masked_fill_ only supports boolean masks, but got mask with dtype {dtype}",
    "default_dtype": "only floating-point types are supported as the default type",
    "from_numpy_type": "expected np.ndarray (got {type})",
    "bitwise_float": "\"{op}_cpu\" not implemented for '{dtype}'",
    # (element-wise messages added for ops/elementwise.py)
    "bool_sub_one": (
        "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, "
        "use the `~` or `logical_not()` operator instead."
    ),
    "zero_div": "ZeroDivisionError",
    "int_neg_pow": "Integers to negative integer powers are not allowed.",
    "alpha_float": "For integral input tensors, argument alpha must not be a floating point number.",
    "alpha_bool": "Boolean alpha only supported for Boolean results.",
    "no_derivative": "derivative for aten::{op} is not implemented",
    "relu_bool": "Boolean inputs not supported for relu",
    "invert_float": "~ (operator.invert) is only implemented on integer and Boolean-type tensors",
    "dtype_mismatch": "{a} did not match {b}",
    "tolerance": "{name} must be greater than or equal to zero, but got {value}",
    "lerp_dtype": "expected dtype {want} for `{arg}` but got dtype {got}",
    "overlap_write": (
        "unsupported operation: more than one element of the written-to tensor refers to a single memory "
        "location. Please clone() the tensor before performing the operation."
    ),
    # --- indexing -----------------------------------------------------------
    "index_oob": "index {index} is out of bounds for dimension {dim} with size {size}",
    "index_dtype": "tensors used as indices must be long, int, byte or bool tensors",
    "mask_shape": (
        "The shape of the mask {mask} at index {j} does not match the shape of the indexed tensor {shape} at "
        "index {i}"
    ),
    "too_many_indices": "too many indices for tensor of dimension {ndim}",
    "gather_dtype": "gather(): Expected dtype int32/int64 for index",
    "scatter_dtype": "scatter(): Expected dtype int32/int64 for index",
    # (shape / view / indexing messages added for ops/shape.py and ops/indexing.py)
    "zero_dim_index": (
        "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert "
        "a 0-dim tensor to a number"
    ),
    "bad_index_type": (
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
        "(got {type})"
    ),
    "index_broadcast": "shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}",
    "index_put_shape": "shape mismatch: value tensor of shape {value} cannot be broadcast to indexing result of shape {result}",
    "index_put_dtype": (
        "Index put requires the source and destination dtypes match, got {dst} for the destination and {src} "
        "for the source."
    ),
    "assign_type": "can't assign a {type} to a {tensor_type}",
    "multi_view_inplace": (
        "Output {nr} of {name} is a view and is being modified inplace. This view is the output of a function "
        "that returns multiple views. Such functions do not allow the output views to be modified inplace. You "
        "should replace the inplace operation by an out-of-place one."
    ),
    "gather_oob": "index {index} is out of bounds for dimension {dim} with size {size}",
    "gather_ndim": "Index tensor must have the same number of dimensions as input tensor",
    "scatter_ndim": "Index tensor must have the same number of dimensions as self tensor",
    "gather_size": (
        "Size does not match at dimension {d} expected index {index} to be no larger than self {shape} apart "
        "from dimension {dim}"
    ),
    "scatter_size": (
        "Expected index {index} to be no larger than self {shape} apart from dimension {dim} and to be no "
        "larger size than src {src}"
    ),
    "scatter_src_dtype": "scatter(): Expected self.dtype to be equal to src.dtype",
    "index_select_dtype": "index_select(): Expected dtype int32 or int64 for index",
    "index_select_oob": "index out of range in self",
    "index_select_scalar": "index_select(): Index to scalar can have only 1 value, got {n} value(s)",
    "masked_fill_value": (
        "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {n} dimension(s)."
    ),
    "index_select_vector": "index_select(): Index is supposed to be a vector",
    # --- devices ------------------------------------------------------------
    "cuda_unavailable": "Torch not compiled with CUDA enabled",
    "cuda_bad_index": "CUDA error: invalid device ordinal (learntorch provides one CUDA device, cuda:0; got cuda:{index})",
    "devices": "Expected all tensors to be on the same device, but found at least two devices, {a} and {b}!",
    "deserialize_cuda_unavailable": (
        "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. If you are "
        "running on a CPU-only machine, please use torch.load with map_location=torch.device('cpu') to map your "
        "storages to the CPU."
    ),
    # --- sorting and counting (ops/sorting.py) ----------------------------
    "unique_zero_size": "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied",
    "bincount_input": "bincount only supports 1-d non-negative integral inputs.",
    "bincount_minlength": "minlength should be >= 0",
    "bincount_weights": "weights should be 1-d and have the same length as input",
    "histc_bins": "torch.histogram(): bins must be > 0, but got {bins} for dimension 0",
    "histc_range": "torch.histc: max must be larger than min",
    "histc_finite": "torch.histc: range of [{lo}, {hi}] is not finite",
    "searchsorted_side": "torch.searchsorted(): side can only be 'left' or 'right' but got {side}",
    "searchsorted_side_right": (
        "torch.searchsorted(): side and right can't be set to opposites, got side of {side} while right was True"
    ),
    "searchsorted_0dim": "torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension",
    "searchsorted_dims": (
        "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries "
        "tensor and input value tensor must match, but we got boundaries tensor {b} and input value tensor {v}"
    ),
    "sorter_dtype": "torch.searchsorted(): sorter must be a tensor of long dtype but got dtype {dtype}",
    "sorter_size": (
        "torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor {b}and got "
        "sorter tensor {s}"
    ),
    "sorter_range": "torch.searchsorted(): sorter index out of range",
    "bucketize_dims": "boundaries tensor must be 1 dimension, but got dim({n})",
    "topk_k": "selected index k out of range",
    "topk_bool": "topk does not support bool dtypes on CPU",
    "kthvalue_k": "kthvalue(): selected number k out of range for dimension {dim}",
    # --- matrices (ops/linalg.py: diag, tril, einsum, det ...) -------------
    "linalg_dims": "{fn}: The input tensor A must have at least 2 dimensions.",
    "linalg_square": "{fn}: A must be batches of square matrices, but they are {n} by {m} matrices",
    "linalg_float": "{fn}: Expected a floating point or complex tensor as input. Got {dtype}",
    "inv_singular": (
        "linalg.inv: {batch}The diagonal element {i} is zero, the inversion could not be completed because the "
        "input matrix is singular."
    ),
    "tensordot_dims_type": (
        "tensordot expects dims to be int or tuple[list[int], list[int]] or list[list[int]] containing two "
        "lists, but got dims={dims}"
    ),
    "tensordot_negative": "tensordot expects dims >= 0, but got dims={dims}",
    "tensordot_too_many": "tensordot expects dims < ndim_a or ndim_b, but got dims={dims}",
    "tensordot_list": "tensordot(): argument '{name}' (position {pos}) must be tuple of ints, not {type}",
    "tensordot_lengths": "both dimension lists should have same length",
    "tensordot_dtype": "both inputs should have same dtype",
    "tensordot_sizes": (
        "contracted dimensions need to match, but first has size {sa} in dim {da} and second has size {sb} "
        "in dim {db}"
    ),
    "cross_ndim": "linalg.cross: inputs must have the same number of dimensions.",
    "cross_length": "linalg.cross: inputs dimension {dim} must have length 3. Got {a} and {b}",
    "cross_no_size3": "no dimension of size 3 in input",
    "cross_no_dim": (
        "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim explicitly "
        "or simply use torch.linalg.cross.\nThe default value of dim will change to agree with that of "
        "linalg.cross in a future release."
    ),
    "einsum_no_operands": (
        "einsum(): must specify the equation string and at least one operand, or at least one operand and its "
        "subscripts list"
    ),
    "einsum_equation": "einsum(): argument 'equation' (position 1) must be str, not {type}",
    "einsum_operand": "expected Tensor as element {i} in argument 1, but got {type}",
    "einsum_sublist": "einsum(): subscript in subscript list is not within the valid range [0, 52)",
    "einsum_ell_twice": "einsum(): found '.' for operand {op} for which an ellipsis was already found",
    "einsum_dot": "einsum(): found '.' for operand {op} that is not part of any ellipsis",
    "einsum_fewer": "einsum(): fewer operands were provided than specified in the equation",
    "einsum_more": "einsum(): more operands were provided than specified in the equation",
    "einsum_subscript": (
        "einsum(): invalid subscript given at index {i} in the equation string, subscripts must be in [a-zA-Z]"
    ),
    "einsum_ndim_ell": (
        "einsum(): the number of subscripts in the equation ({n}) is more than the number of dimensions "
        "({ndim}) for operand {i}"
    ),
    "einsum_ndim": (
        "einsum(): the number of subscripts in the equation ({n}) does not match the number of dimensions "
        "({ndim}) for operand {i} and no ellipsis was given"
    ),
    "einsum_out_ell_twice": "einsum(): found '.' for output but an ellipsis (...) was already found",
    "einsum_out_dot": "einsum(): found '.' for output that is not part of any ellipsis (...)",
    "einsum_out_twice": "einsum(): output subscript {label} appears more than once in the output",
    "einsum_out_missing": "einsum(): output subscript {label} does not appear in the equation for any input operand",
    "einsum_repeated": "einsum(): subscript {label} is repeated for operand {i} but the sizes don't match, {a} != {b}",
    "einsum_size": (
        "einsum(): subscript {label} has size {size} for operand {i} which does not broadcast with previously "
        "seen size {seen}"
    ),
    "einsum_ell_size": (
        "einsum(): dimension {dim} covered by ellipsis in operand {i}has size {size} which does not broadcast "
        "with previously seen ellipsis with size {seen} for the respective dimension"
    ),
    "tri_dims": "{fn}: input tensor must have at least 2 dimensions",
    "diagonal_same": "diagonal dimensions cannot be identical {a}, {b}",
    "diag_dims": "diag(): Supports 1D or 2D tensors. Got {n}D",
    "trace_dims": "trace: expected a matrix, but got tensor with dim {n}",
    # --- more element-wise math and reductions (ops/elementwise.py, ops/reduction.py) ---
    "nanmean_dtype": "nanmean(): expected input to have floating point or complex dtype but got {dtype}",
    "var_mean_dtype": "{fn} only support floating point and complex dtypes",
    "cov_ndim": "cov(): expected input to have two or fewer dimensions but got an input with {ndim} dimensions",
    "cov_bool": "cov(): bool dtype is not supported for input",
    "cov_dof": (
        "cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of observations."
    ),
    "quantile_empty": "quantile() input tensor must be non-empty",
    "quantile_q_dim": "quantile() q must be a scalar or 1D tensor",
    "quantile_q_range": "quantile() q must be in the range [0, 1] but got {q}",
    "quantile_q_values": "quantile() q values must be in the range [0, 1]",
    "quantile_dtype": "quantile() input tensor must be either float or double dtype",
    "quantile_q_dtype": "quantile() q tensor must be same dtype as the input tensor",
    "quantile_mode": (
        "quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but got {mode}"
    ),
    "aminmax_empty": "aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.",
    "aminmax_empty_dim": "aminmax: Expected reduction dim {dim} to have non-zero size.",
    "diff_0d": "diff expects input to be at least one-dimensional",
    "diff_order": "order must be non-negative but got {n}",
    "diff_extra_dim": "diff expects prepend or append to be the same dimension as input",
    "heaviside_dtype": "heaviside is not yet implemented for tensors with different dtypes.",
    "isin_dtype": "Unsupported input type encountered for isin(): {dtype}",
    # --- more shape and indexing (ops/shape.py, ops/indexing.py) ----------
    "masked_select_mask": "masked_select: expected BoolTensor for mask",
    "long_index": "{fn}(): Expected a long tensor for index, but got {dtype}",
    "take_oob": "out of range: tried to access index {index} on a tensor of {n} elements.",
    "tad_dtype": "torch.take_along_dim(): dtype of indices should be Long but got {dtype}",
    "tad_ndim": (
        "torch.take_along_dim(): input and indices should have the same number of dimensions, but got {a} "
        "dimensions for input, and {b} dimensions for indices"
    ),
    "put_count": (
        "put_(): Expected source and index to have the same number of elements, but got source.numel() = {a}, "
        "index.numel() = {b}"
    ),
    "put_dtype": (
        "put_(): self and source expected to have the same dtype, but got self.dtype = {a} and source.dtype = {b}"
    ),
    "index_add_index_dtype": "index_add_(): Expected dtype int32/int64 for index but got: {dtype}",
    "index_add_vector": (
        "index_add_(): Index is supposed to be a vector, but got dim: {n} with type: {dtype} and size: {shape}"
    ),
    "index_add_count": (
        "index_add_(): Number of indices ({n}) should be equal to source.size(dim): ({size}), for dim: {dim}"
    ),
    "index_add_shape": (
        "source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = "
        "{a} source.shape = {b}"
    ),
    "index_add_dtype": "index_add_(): self ({a}) and source ({b}) must have the same scalar type",
    "index_copy_dims": "index_copy_(): Index should have dimension 1 or 0 (got {n})",
    "index_copy_count": "index_copy_(): Number of indices ({n}) should be equal to source.size(dim) ({size})",
    "index_copy_slice": (
        "index_copy_(): Source/destination tensor must have same slice shapes. Destination slice shape: {a} at "
        "dimension {dim} and source slice shape: {b} at dimension {dim}."
    ),
    "index_copy_dtype": (
        "index_copy_(): self and source expected to have the same dtype, but got (self) {a} and (source) {b}"
    ),
    "index_copy_oob": "index_copy_(): index {index} is out of bounds for dimension {dim} with size {size}",
    "index_fill_dtype": "index_fill_(): Expected dtype int64 for index.",
    "index_fill_vector": "Index has to be a vector/scalar",
    "index_fill_value": (
        "index_fill_ only supports a 0-dimensional value tensor, but got tensor with {n} dimension(s)."
    ),
    "masked_scatter_mask": "masked_scatter_ only supports boolean masks, but got mask with dtype {dtype}",
    "masked_scatter_dtype": "masked_scatter: expected self and source to have same dtypes but got{a} and {b}",
    "masked_scatter_small": "Number of elements of source < number of ones in mask",
    "roll_shifts": "`shifts` required",
    "roll_align": "shifts and dimensions must align. shifts: {s}, dims:{d}",
    "ri_neg": "Repeats must be non-negative",
    "ri_negt": "repeats can not be negative",
    "ri_1d": "repeats must be 0-dim or 1-dim tensor",
    "ri_vector": "repeat_interleave only accept 1D vector as repeat",
    "ri_len": (
        "repeats must have the same size as input along dim, but got repeats.size(0) = {n} and "
        "input.size({dim}) = {size}"
    ),
    "ri_output_size": "repeat_interleave: Invalid output_size, expected {want} but got {got}",
    "rot90_dims": "expected total rotation dims == 2, but got dims = {n}",
    "rot90_ndim": "expected total dims >= 2, but got total dims = {n}",
    "rot90_same": "expected rotation dims to be different, but got dim0 = {a} and dim1 = {b}",
    "flip_ndim": "Input must be >= {n}-d.",
    "meshgrid_indexing_warning": (
        "torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument."
    ),
    "meshgrid_indexing": "torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {i}",
    "meshgrid_empty": "meshgrid expects a non-empty TensorList",
    "meshgrid_dtype": "meshgrid expects all tensors to have the same dtype",
    # (PyTorch prints the offending tensor here; learntorch its shape)
    "meshgrid_dims": "torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {shape}",
    "tensorlist_empty": "{fn} expects a non-empty TensorList",
    "vector_1d": "Expect a 1D vector, but got shape {shape}",
    "comb_negative": "Expect a non-negative number, but got {r}",
    "tsplit_0d": "tensor_split expected at least a 1-dimensional tensor, but got a tensor with {n} dims",
    "tsplit_sections": "number of sections must be larger than 0, got {n}",
    "tsplit_tensor_dims": (
        "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, "
        "but got a tensor with {n} dims"
    ),
    "tsplit_tensor_dtype": "tensor_split expected tensor_indices_or_sections to have dtype of long, but got {dtype}",
    "xsplit_ndim": "torch.{fn} requires a tensor with at least {n} dimension, but got a tensor with {k} dimensions!",
    "xsplit_divisible": (
        "torch.{fn} attempted to split along dimension {dim}, but the size of the dimension {size} is not "
        "divisible by the split_size {n}!"
    ),
    # --- optimizers and schedulers (optim/) --------------------------------
    "lbfgs_groups": "LBFGS doesn't support per-parameter options (parameter groups)",
    "lbfgs_line_search": "only 'strong_wolfe' is supported",
    "sched_param_len": (
        "{name} must have the same length as optimizer.param_groups. {name} has {n} values, param_groups has "
        "{groups}."
    ),
    "sched_no_momentum": "optimizer must support momentum or beta1 with `cycle_momentum` option enabled",
    "sched_cyclic_mode": "mode is invalid and scale_fn is None",
    "sched_lambda_callable": "lr_lambda should be a function, but got {type}",
    "sched_constant_factor": "Constant multiplicative factor expected to be between 0 and 1.",
    "sched_linear_start": "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.",
    "sched_linear_end": "Ending multiplicative factor expected to be between 0 and 1.",
    "sched_sequential_empty": "{cls} expects at least one scheduler, but got no scheduler.",
    "sched_chained_empty": "{cls} expects at least one scheduler to be chained, but got no scheduler.",
    "sched_no_optimizer": "{cls} at index {i} should have `optimizer` as its attribute.",
    "sched_plateau": (
        "{cls} does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be specified "
        "when calling `step`, but got one at index {i} in the given schedulers sequence."
    ),
    "sched_other_optimizer": (
        "{cls} expects all schedulers to belong to the same optimizer, but got scheduler {name} at index {i} has "
        "{opt}, which is different from {opt_name}."
    ),
    "sched_milestones": (
        "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone "
        "points, but got number of schedulers {n} and the number of milestones to be equal to {m}"
    ),
    "sched_t0": "Expected positive integer T_0, but got {v}",
    "sched_tmult": "Expected integer T_mult >= 1, but got {v}",
    "sched_eta_min": "Expected float or int eta_min, but got {v} of type {t}",
    "sched_negative_epoch": "Expected non-negative epoch, but got {v}",
    "sched_total_steps": "Expected positive integer total_steps, but got {v}",
    "sched_epochs": "Expected positive integer epochs, but got {v}",
    "sched_steps_per_epoch": "Expected positive integer steps_per_epoch, but got {v}",
    "sched_onecycle_steps": "You must define either total_steps OR (epochs AND steps_per_epoch)",
    "sched_pct_start": "Expected float between 0 and 1 pct_start, but got {v}",
    "sched_anneal": "anneal_strategy must be one of 'cos' or 'linear', instead got {v}",
    "sched_onecycle_over": "Tried to step {t} times. The specified number of total steps is {n}",
    "optim_lr": "Invalid learning rate: {lr}",
    "optim_eps": "Invalid epsilon value: {eps}",
    "optim_beta": "Invalid beta parameter at index {i}: {beta}",
    "optim_weight_decay": "Invalid weight_decay value: {wd}",
    "optim_momentum_decay": "Invalid momentum_decay value: {v}",
    "optim_rho": "Invalid rho value: {rho}",
    "optim_etas": "Invalid eta values: {a}, {b}",
    # --- nn layers, activations, losses, hooks (nn/) ----------------------
    "not_differentiable": (
        "The function '{fn}' is not differentiable with respect to argument '{arg}'. This input cannot have "
        "requires_grad True."
    ),
    "reduction_invalid": "{reduction} is not a valid value for reduction",
    "reduction_not_valid": "{reduction} is not valid",
    "triplet_margin": "margin must be greater than 0, got {margin}",
    "triplet_module_margin": "TripletMarginLoss: expected margin to be greater than 0, got {margin} instead",
    "margin_ranking_dims": (
        "margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: {a}, "
        "input2: {b}, target: {t} "
    ),
    "cosine_embedding_target": "0D or 1D target tensor expected, multi-target not supported",
    "cosine_embedding_inputs": (
        "{k} target tensor expects {want} input tensors, but found inputs with sizes {a} and {b}."
    ),
    "triplet_dims": (
        "The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: "
        "anchor {a}D, positive {p}D, and negative {n}D inputs"
    ),
    "gaussian_var_negative": "var has negative entry/entries",
    "gaussian_var_size": "var is of incorrect size",
    "backward_hook_count": "Backward hook returned an invalid number of grad_input, got {got}, but expected {expected}",
    "backward_pre_hook_count": (
        "Backward pre hook returned an invalid number of grad_output, got {got}, but expected {expected}"
    ),
    "backward_hook_no_input": (
        "Backward hook for Modules where no input requires gradient should always return None or None for all "
        "gradients."
    ),
    "paramlist_extend": "ParameterList.extend should be called with an iterable, but got {type}",
    "container_called": "{name} should not be called.",
    "paramdict_key": (
        "Index given to ParameterDict cannot be used as a key as it is not a string (type is '{type}'). Open an "
        "issue on github if you need non-string keys."
    ),
    "paramdict_update": "ParametersDict.update should be called with an iterable of key/value pairs, but got {type}",
    "paramdict_update_item": "ParameterDict update sequence element #{j} should be Iterable; is{type}",
    "paramdict_update_len": "ParameterDict update sequence element #{j} has length {n}; 2 is required",
    "celu_alpha": "ZeroDivisionError: alpha cannot be 0 for CELU",
    "softshrink_lambda": "lambda must be in range [0, {max}] for input dtype {dtype}, but found {lambd}",
    "prelu_weight_ndim": "prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {ndim}",
    "prelu_zero_dim": "Not allow zero-dim input tensor.",
    "prelu_channels": (
        "Mismatch of parameter numbers and input channel size. Found parameter numbers = {n} and channel "
        "size = {c}."
    ),
    "prelu_promote": "prelu: Type promoting not supported. Got {a} and {b}",
    "glu_scalar": "glu does not support scalars because halving size must be even",
    "glu_odd": "Halving dimension must be even, but dimension {dim} is size {size}",
    # --- more math and linear algebra (ops/, linalg.py, special.py) -------
    "solve_singular": "torch.linalg.solve: {batch}The solver failed because the input matrix is singular.",
    "solve_dtype": (
        "linalg.solve: Expected A and B to have the same dtype, but found A of type {a} and B of type {b} instead"
    ),
    "solve_shapes": "linalg.solve: Incompatible shapes of A and B for the equation AX = B ({n}x{m} and {r}x{c})",
    "cholesky_not_pd": (
        "linalg.cholesky: {batch}The factorization could not be completed because the input is not "
        "positive-definite (the leading minor of order {order} is not positive-definite)."
    ),
    "qr_mode": "qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or 'complete'",
    "eigh_uplo": "Expected UPLO argument to be 'L' or 'U', but got {uplo}",
    "pinv_input": (
        "linalg.pinv({dtype}{{{shape}}}): expected a tensor with 2 or more dimensions of float, double, cfloat or "
        "cdouble types"
    ),
    "matrix_rank_dims": "torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.",
    "float_double_only": "This function doesn't handle types other than float and double",
    "lstsq_dims": "torch.linalg.lstsq: input must have at least 2 dimensions.",
    "lstsq_dtype": (
        "torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype {a} and "
        "other's dtype {b}"
    ),
    "lstsq_shapes": "torch.linalg.lstsq: input.size(-2) should match other.size(-2)",
    "linalg_norm_dims": "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {n}D.",
    "dist_dtype": "norm(): input dtype should be either floating point or complex. Got {dtype} instead.",
    "renorm_dims": "renorm: input needs at least 2 dimensions, got {n} dimensions",
    "renorm_p": "renorm: non-positive-norm not supported",
    "renorm_maxnorm": "renorm: expected maxnorm to be >= 0 but got {maxnorm}",
    "slice_0d": "slice() cannot be applied to a 0-dim tensor.",
    "trapezoid_x": "{fn}: There must be one `x` value for each sample point",
    "addmv_dims": "vector + matrix @ vector expected, got {a}, {m}, {v}",
    "addmv_dtype": "addmv input tensors must have the same dtype, but got {a}, {b}, and {c}",
    "baddbmm_dtype": "Input dtypes must be the same, got: input {a}, batch1: {b}, batch2: {c}",
    "addbmm_batches": "batch1 and batch2 must have same number of batches, got {a} and {b}",
    "addbmm_sizes": "Incompatible matrix sizes for bmm ({a0}x{a1} and {b0}x{b1})",
    "multi_dot_count": "multi_dot(): expected at least 2 tensors but got {n}",
    "multi_dot_end": "multi_dot(): the {which} tensor must be 1D or 2D but got {n}D",
    "multi_dot_middle": "multi_dot(): tensor {i} must be 2D but got {n}D",
    "multi_dot_dtype": "multi_dot(): all tensors must have be the same dtype but tensor 0 is {a} and tensor {i} {b}",
    "multi_dot_shapes": "multi_dot(): tensors {i} and {j} with shapes {a} and {b} cannot be multiplied",
    "chain_matmul_deprecated": (
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use torch.linalg.multi_dot "
        "instead, which accepts a list of two or more tensors rather than multiple parameters."
    ),
    "chain_matmul_empty": "chain_matmul(): Expected one or more matrices",
    "matrix_dims": "Tensor dimension is {n}, expected 2 instead.",
    "cdist_dims": "cdist only supports at least 2D tensors, {name} got: {n}D",
    "cdist_cols": "X1 and X2 must have the same number of columns. X1: {a} X2: {b}",
    "cdist_dtype": "cdist only supports floating-point dtypes, {name} got: {dtype}",
    "cdist_p": "cdist only supports non-negative p values",
    "block_diag_type": "expected Tensor as element {i} in argument 0, but got {type}",
    "block_diag_dims": "torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has {n} dimensions",
    "tri_indices_negative": "{name} must be non-negative, got{n}",
    "addcdiv_int": (
        "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a "
        "true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + "
        "value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * "
        "tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: "
        "(input + value * tensor1 / tensor2), for all dtypes."
    ),
    "float_power_inplace": (
        "the base given to float_power_ has dtype {dtype} but the operation's result requires dtype Double"
    ),
    "polygamma_negative": "polygamma(n, x) does not support negative n.",
    # --- sampling (multinomial, WeightedRandomSampler) ---------------------
    "multinomial_dtype": "multinomial only supports floating-point dtypes for input, got: {dtype}",
    "multinomial_dim": "prob_dist must be 1 or 2 dim",
    "multinomial_n": "cannot sample n_sample <= 0 samples",
    "multinomial_too_many": "cannot sample n_sample > prob_dist.size(-1) samples without replacement",
    "multinomial_categories": "number of categories cannot exceed 2^24",
    "multinomial_invalid": "probability tensor contains either `inf`, `nan` or element < 0",
    "multinomial_negative": "invalid multinomial distribution (encountering probability entry < 0)",
    "multinomial_inf": "invalid multinomial distribution (encountering probability entry = infinity or NaN)",
    "multinomial_sum": "invalid multinomial distribution (sum of probabilities <= 0)",
    "exponential_dtype": ("Exponential distribution is a continuous probability distribution. dtype must be a "
                          "floating point but you specified {dtype}"),
    "exponential_lambda": "exponential_ expects lambda > 0.0, but found lambda={lambd:g}",
    "geometric_p": "geometric_ expects p to be in (0, 1), but got p={p:g}",
    "log_normal_std": "log_normal_ expects std > 0.0, but found std={std:g}",
    "cauchy_dtype": ("Cauchy distribution is a continuous probability distribution. dtype must be a floating "
                     "point but you specified {dtype}"),
    "cauchy_sigma": "cauchy_ expects sigma > 0.0, but found sigma={sigma:g}",
    "sampler_num_samples": "num_samples should be a positive integer value, but got num_samples={n}",
    "sampler_replacement": "replacement should be a boolean value, but got replacement={r}",
    "sampler_weights_1d": "weights should be a 1d sequence but given weights have shape {shape}",
    "stack_both": ("Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) like input/output, "
                   "but both types are given."),
    "stack_size": "Size mismatch between datasets",
    "stack_none": "At least one dataset should be passed",
    "stack_items": "Nested dataset's output size mismatch. Expected {expected}, got {got}",
    # --- convolution, pooling, padding, upsampling (nn/) -------------------
    "conv_input_dims": "Expected {u}D (unbatched) or {b}D (batched) input to {fn}, but got input of size: {shape}",
    "conv_weight_dims": ("Expected {n}-dimensional input for {n}-dimensional weight {w}, but got {d}-dimensional "
                         "input of size {shape} instead"),
    "conv_channels": ("Given groups={groups}, weight of size {w}, expected input{x} to have {c} channels, but got "
                      "{got} channels instead"),
    "conv_bias": ("Given weight of size {w}, expected bias to be 1-dimensional with {o} elements, but got bias of "
                  "size {b} instead"),
    "conv_kernel_1d": ("Calculated padded input size per channel: ({size}). Kernel size: ({k}). Kernel size can't be "
                       "greater than actual input size"),
    "conv_padding_string": "Invalid padding string: '{padding}'",
    "conv_same_strided": "padding='same' is not supported for strided convolutions",
    "max_pool1d_dims": ("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, "
                        "but got:{shape}"),
    "max_pool1d_kernel": "max_pool1d() kernel_size must be greater than zero, but got {k}",
    "max_pool1d_stride": "max_pool1d() stride must be greater than zero, but got {s}",
    "max_pool1d_padding": ("max_pool1d() padding should be at most half of kernel size, but got padding={p} and "
                           "kernel_size={k}"),
    "max_pool1d_output": "max_pool1d() Invalid computed output size: {size}",
    "pool1d_dims": ("Expected 2 to 3 dimensions, but got {d}-dimensional tensor for argument #1 'self' (while checking "
                    "arguments for {fn})"),
    "pool_stride_zero": "stride should not be zero",
    "adaptive_avg2d_dims": "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {shape}",
    "adaptive_max2d_dims": "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: {shape}",
    "adaptive_avg2d_size": "adaptive_avg_pool2d: output_size must be 2",
    "adaptive_max2d_size": "adaptive_max_pool2d(): internal error: output_size.size() must be 2",
    "adaptive1d_size": "{fn}() argument 'output_size' should contain one int (got {n})",
    "adaptive_empty": ("{fn}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes "
                       "{shape} with dimension {d} being empty"),
    "dropout1d_dims": ("dropout1d: Expected 2D or 3D input, but received a {d}D input. Note that dropout1d exists to "
                       "provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an "
                       "optional batch dimension (i.e. 2D or 3D inputs)."),
    "dropout_p": "dropout probability has to be between 0 and 1, but got {p}",
    "pad_mode_unknown": "Unrecognised padding mode {mode}",
    "pad_mode_value": "Padding mode \"{mode}\" doesn't take in value argument",
    "pad_mode_dims": "Padding size {n} is not supported for {d}D input tensor.",
    "pad_mode_empty": ("Expected {a}D or {b}D (batch mode) tensor with possibly 0 batch size and other non-zero "
                       "dimensions for input, but got: {shape}"),
    "pad_reflect_size": ("Argument #{arg}: Padding size should be less than the corresponding input dimension, but "
                         "got: padding ({lo}, {hi}) at dimension {d} of input {shape}"),
    "pad_too_small": "input (W: {w}) is too small. Calculated output W: {out}",
    "pad_circular_wrap": "Padding value causes wrapping around more than once.",
    "pad_circular_empty": "Negative padding value is resulting in an empty dimension",
    "circular_pad_dims": "expected {a}D or {b}D input (got {d}D input)",
    # --- recurrent layers (nn/modules/rnn.py, nn/utils/rnn.py) -------------
    "rnn_dropout": ("dropout should be a number in range [0, 1] representing the probability of an element "
                    "being zeroed"),
    "rnn_dropout_one_layer": ("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                              "expects num_layers greater than 1, but got dropout={p} and num_layers={n}"),
    "rnn_arg_type": "{name} should be of type {kind}, got: {got}",
    "rnn_positive": "{name} must be greater than zero",
    "rnn_proj_negative": "proj_size should be a positive integer or zero to disable projections",
    "rnn_proj_size": "proj_size has to be smaller than hidden_size",
    "rnn_proj_lstm_only": "proj_size argument is only supported for LSTM, not RNN or GRU",
    "rnn_nonlinearity": "Unknown nonlinearity '{name}'. Select from 'tanh' or 'relu'.",
    "rnn_input_2d3d": "{name}: Expected input to be 2D or 3D, got {dim}D instead",
    "rnn_input_2d3d_tensor": "RNN: Expected input to be 2D or 3D, got {dim}D tensor instead",
    "rnn_hx_batched": "For batched 3-D input, hx should also be 3-D but got {h}-D tensor",
    "rnn_hx_unbatched": "For unbatched 2-D input, hx should also be 2-D but got {h}-D tensor",
    "rnn_hxcx_batched": "For batched 3-D input, hx and cx should also be 3-D but got ({h}-D, {c}-D) tensors",
    "rnn_hxcx_unbatched": "For unbatched 2-D input, hx and cx should also be 2-D but got ({h}-D, {c}-D) tensors",
    "rnn_dtype": ("RNN input dtype ({got}) does not match weight dtype ({want}). Convert input: input.to({want}), "
                  "or convert model: model.to({got})"),
    "rnn_input_ndim": "input must have {want} dimensions, got {got}",
    "rnn_input_size": "input.size(-1) must be equal to input_size. Expected {want}, got {got}",
    "rnn_hidden_size": "Expected hidden size {want}, got {got}",
    "rnn_hidden_n_size": "Expected hidden[{i}] size {want}, got {got}",
    "rnn_empty_seq": "Expected sequence length to be larger than 0 in RNN",
    "cell_input_dims": "{name}: Expected input to be 1D or 2D, got {dim}D instead",
    "cell_hidden_dims": "{name}: Expected hidden to be 1D or 2D, got {dim}D instead",
    "cell_hx_dims": "{name}: Expected hx[{i}] to be 1D or 2D, got {dim}D instead",
    "cell_nonlinearity": "Unknown nonlinearity: {name}",
    "cell_input_size": "input has inconsistent input_size: got {got} expected {want}",
    "cell_batch": "Input batch size {n} doesn't match hidden{i} batch size {m}",
    "cell_hidden_size": "hidden{i} has inconsistent hidden_size: got {got}, expected {want}",
    "packed_batch_sizes_cpu": (
        "batch_sizes should always be on CPU. Instances of PackedSequence should never be created manually. They "
        "should be instantiated by functions like pack_sequence and pack_padded_sequences in nn.utils.rnn. "
        "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence"),
    "pack_lengths_1d": "'lengths' argument should be a 1D CPU int64 tensor, but got {dim}D {device} Long tensor",
    "pack_empty": "Cannot pack empty tensors.",
    "pack_lengths_batch": "Expected `len(lengths)` to be equal to batch_size, but got {n} (batch_size={batch})",
    "pack_lengths_positive": ("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                              "that is <= 0"),
    "pack_unsorted": (
        "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass "
        "`enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you "
        "do not need ONNX exportability."),
    "pad_total_length": ("Expected total_length to be at least the length of the longest sequence in input, but "
                         "got total_length={total} and max sequence length being {longest}"),
    "pad_seq_iterable": "pad_sequence: Expected iterable for input sequences, but got arg of type: {type}",
    "pad_seq_empty": "received an empty list of sequences",
    "pad_seq_side": "Expected padding_side to be one of left or right, but got {side}.",
    "init_orthogonal_dims": "Only tensors with 2 or more dimensions are supported",
    "init_dirac_dims": "Only tensors with 3, 4, or 5 dimensions are supported",
    "init_dirac_groups": "dim 0 must be divisible by groups",
    "init_sparse_dims": "Only tensors with 2 dimensions are supported",
    # --- attention, transformer, normalization (nn/) -----------------------
    "group_norm_dims": "Expected at least 2 dimensions for input tensor but received {d}",
    "group_norm_groups": (
        "Expected number of channels in input to be divisible by num_groups, but got input of shape {shape} and "
        "num_groups={g}"
    ),
    "group_norm_param": (
        "Expected {name} to be a vector of size equal to the number of channels in input, but got {name} of "
        "shape {got} and input of shape {shape}"
    ),
    "group_norm_module": "num_channels ({c}) must be divisible by num_groups ({g})",
    "instance_norm_spatial": "Expected more than 1 spatial element when training, got input size {size}",
    "instance_norm_features": "expected input's size at dim={dim} to match num_features ({n}), but got: {got}.",
    "instance_norm_warn": (
        "input's size at dim={dim} does not match num_features. You can silence this warning by not passing in "
        "num_features, which is not used because affine=False"
    ),
    "rms_norm_shape": "Given normalized_shape={ns}, expected input with shape [*{want}], but got input of size{got}",
    "transformer_activation": "activation should be relu/gelu, not {a}",
    "transformer_nested": "enable_nested_tensor is True, but self.use_nested_tensor is False because {why}",
    "transformer_batch": "the batch number of src and tgt must be equal",
    "transformer_features": "the feature number of src and tgt must be equal to d_model",
    "mha_mask_type": "only bool and floating types of {name} are supported",
    "mha_mask_mismatch": "Support for mismatched {name} and {other} is deprecated. Use same type for both instead.",
    "mha_kv_dims": (
        "For {q} `query`, expected `key` and `value` to be {n}-D but found {k}-D and {v}-D tensors respectively"
    ),
    "mha_kpm_dims": "For {q} `query`, expected `key_padding_mask` to be `None` or {n}-D but found {got}-D tensor instead",
    "mha_mask_dims": "For {q} `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found {got}-D tensor instead",
    "mha_mask_3d_unbatched": "Expected `attn_mask` shape to be {want} but got {got}",
    "mha_query_dims": "query should be unbatched 2D or batched 3D tensor but received {got}-D query tensor",
    "mha_causal_mask": (
        "Need attn_mask if specifying the is_causal hint. You may use the Transformer module method "
        "`generate_square_subsequent_mask` to create this mask."
    ),
    "mha_embed_dim": "was expecting embedding dimension of {want}, but got {got}",
    "mha_heads_divide": "embed_dim {e} not divisible by num_heads {h}",
    "mha_kv_shape": "key shape {k} does not match value shape {v}",
    "mha_kv_shape_sep": "key's sequence and batch dims {k} do not match value's {v}",
    "mha_mask_2d": "The shape of the 2D attn_mask is {got}, but should be {want}.",
    "mha_mask_3d": "The shape of the 3D attn_mask is {got}, but should be {want}.",
    "mha_kpm_size": "Expected key_padded_mask.shape[{i}] to be {want}, but got {got}",
    "mha_module_divide": "embed_dim must be divisible by num_heads",
    "mha_module_sizes": (
        "embed_dim and num_heads must be greater than 0, got embed_dim={e} and num_heads={h} instead"
    ),
    "sdpa_dim": (
        "Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: {q} key.dim: {k} "
        "and value.dim: {v} instead."
    ),
    "sdpa_dtype": (
        "Expected query, key, and value to have the same dtype, but got query.dtype: {q} key.dtype: {k} and "
        "value.dtype: {v} instead."
    ),
    "sdpa_mask_causal": "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True",
    "sdpa_mask_dtype": (
        "Expected attn_mask dtype to be bool or float or to match query dtype, but got attn_mask.dtype: {mask} "
        "and  query.dtype: {q} instead."
    ),
    "sdpa_dropout": "dropout probability has to be between 0 and 1, but got {p}",
    "sdpa_qk_size": "Expected size for first two dimensions of batch2 tensor to be: [{b}, {e}] but got: [{b}, {ek}].",
    "sdpa_gqa_heads": "Number of heads in key and value must divide the number of heads in ",
    # --- strided views (as_strided, diagonal, unfold) ----------------------
    "strided_len": "mismatch in length of strides and shape",
    "strided_negative": "as_strided: Negative strides are not supported at the moment, got strides: {strides}",
    "strided_overflow": "Storage size calculation overflowed with sizes={sizes} and strides={strides}",
    "strided_offset": "Tensor: invalid storage offset {offset}",
    "strided_bounds": ("setStorage: sizes {sizes}, strides {strides}, storage offset {offset}, and itemsize "
                       "{itemsize} requiring a storage size of {need} are out of bounds for storage of size {have}"),
    "strided_dims": "dimensionality of sizes ({n}) must match dimensionality of strides ({m})",
    "unfold_size": "maximum size for tensor at dimension {dim} is {max} but size is {size}",
    "unfold_step": "step is {step} but must be > 0",
    "unfold_negative": "size is {size} but must be >= 0",
    # --- upsampling, pixel shuffle, fold/unfold (nn/) -----------------------
    "interp_align_corners": ("align_corners option can only be set with the interpolating modes: linear | bilinear | "
                             "bicubic | trilinear"),
    "interp_size_and_scale": "only one of size or scale_factor should be defined",
    "interp_no_size": "either size or scale_factor should be defined",
    "interp_size_len": ("Input and output must have the same number of spatial dimensions, but got input with spatial "
                        "dimensions of {shape} and output size of {size}. Please provide input tensor in (N, C, d1, "
                        "d2, ...,dK) format and output size in (o1, o2, ...,oK) format."),
    "interp_size_type": ("expected size to be one of int or Tuple[int] or Tuple[int, int] or Tuple[int, int, int], "
                         "but got size with types {types}"),
    "interp_scale_len": ("Input and scale_factor must have the same number of spatial dimensions, but got input with "
                         "spatial dimensions of {shape} and scale_factor of shape {scale}. Please provide input tensor "
                         "in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format."),
    "interp_recompute": "recompute_scale_factor is not meaningful with an explicit size.",
    "interp_antialias": ("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D "
                         "tensor as input"),
    "interp_mode_dims": "Got {d}D input, but {mode} mode needs {n}D input",
    "interp_input_dims": ("Input Error: Only 3D, 4D and 5D input Tensors supported (got {d}D) for the modes: nearest | "
                          "linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact (got {mode})"),
    "interp_lanczos_corners": "Lanczos mode does not support align_corners=True",
    "interp_lanczos_antialias": "Lanczos mode requires antialias=True",
    "interp_unsupported": "learntorch does not implement interpolate({what}) (PyTorch does)",
    "interp_sizes": "Input and output sizes should be greater than 0, but got input ({inp}){sep} ({out})",
    "interp_empty": "Non-empty {d}D data tensor expected but got a tensor with sizes {shape}",
    "shuffle_factor_type": "{fn}(): argument '{arg}' (position 2) must be int, not {type}",
    "shuffle_dims": "{fn} expects input to have at least 3 dimensions, but got input with {d} dimension(s)",
    "shuffle_positive": "{fn} expects a positive {arg}, but got {r}",
    "pixel_shuffle_channels": ("pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                               "upscale_factor, but input.size(-3)={c} is not divisible by {rr}"),
    "pixel_unshuffle_size": ("pixel_unshuffle expects {name} to be divisible by downscale_factor, but "
                             "input.size({d})={n} is not divisible by {r}"),
    "channel_shuffle_dims": "channel_shuffle expects input with > 2 dims, but got input with sizes {shape}",
    "channel_shuffle_groups": "Number of groups to divide channels in must be positive. Value of groups:{g}",
    "channel_shuffle_divisible": "Number of channels must be divisible by groups. Got {c} channels and {g} groups.",
    "fold_arg_len": "It is expected {name} equals to 2, but got size {n}",
    "fold_arg_value": "{text}, but got {kh}: {h} {kw}: {w}",
    "unfold_input": ("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions "
                     "for input, but got: {shape}"),
    "unfold_blocks": ("Given input with spatial size ({h}, {w}), kernel_size={k}, dilation={d}, padding={p}, "
                      "calculated shape of the array of sliding blocks as ({oh}, {ow}), but its components must be "
                      "at least one."),
    "fold_input": ("Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions "
                   "for input, but got: {shape}"),
    "fold_divisible": ("Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
                       "input.size(1)={n} and kernel_size={k}."),
    "bilinear_dtype": "All tensors must have the same dtype, got input1: {a}, input2: {b}, weight: {w}",
    "bilinear_dims": "bilinear(): input dimensions do not match: got {a} and {b}",
    "bilinear_batch": "bilinear(): input batch dimensions do not match at dim {d}: got {a} and {b}",
    "bilinear_size": "bilinear(): {which} size does not match weight size: got {got} but expected {want}",
    "bilinear_bias": "bilinear(): bias size does not match weight size: got {got} but expected {want}",
    "bilinear_in1": "in1_features must be > 0, but got (in1_features={n})",
    "lrn_dims": "Expected 3D or higher dimensionality                          input (got {d} dimensions)",
    "fold_blocks": ("Given output_size={size}, kernel_size={k}, dilation={d}, padding={p}, stride={s}, expected size "
                    "of input's dimension 2 to match the calculated number of sliding blocks {oh} * {ow} = {L}, but "
                    "got input.size(2)={got}."),
    # --- more Tensor methods (sweep) ---------------------------------------
    "post_acc_hook_nonleaf": "post accumulate grad hooks cannot be registered on non-leaf tensors",
    "post_acc_hook_return": "Tensor post accumulate grad hooks should return None.",
    "imag_real": "imag is not implemented for tensors with non-complex dtypes.",
    "H_dims": "tensor.H is only supported on matrices (2-D tensors). Got {n}-D tensor.{hint}",
    "mH_dims": "tensor.{name} is only supported on matrices or batches of matrices. Got {n}-D tensor.",
    "resize_grad": "cannot resize variables that require grad",
    "resize_negative": "numel: integer multiplication overflow",
    "frexp_float": "torch.frexp() only supports floating-point dtypes",
    "addr_1d": "addr: Expected 1-D argument {name}, but got {n}-D",
    "inner_sizes": "inner() the last dimension must match on both input tensors but got shapes {a} and {b}",
    "fill_diagonal_dims": "dimensions must larger than 1",
    "fill_diagonal_sizes": "all dimensions of input must be of equal length",
    "apply_cpu": "{name} is only implemented on CPU tensors",
    "apply_grad": "Can't call {name}() on Variable that requires grad. Use var.detach().{name}() instead.",
    # --- autograd.functional, func, checkpoint ------------------------------
    "af_not_tensor_at": ("The {arg} given to {fn} must be either a Tensor or a tuple of Tensors but the value at "
                         "index {i} has type {type}."),
    "af_not_tensor": ("The {arg} given to {fn} must be either a Tensor or a tuple of Tensors but the given {arg} "
                      "has type {type}."),
    "af_v_len": "v is a tuple of invalid length: should be {want} but got {got}.",
    "af_v_single": "The given v should contain a single Tensor.",
    "af_v_size": "{prefix}v has invalid size: should be {want} but got {got}.",
    "af_v_none_output": ("The vector v can only be None if the user-provided function returns a single Tensor "
                         "with a single element."),
    "af_v_none_input": ("The vector v can only be None if the input to the user-provided function is a single "
                        "Tensor with a single element."),
    "af_strict_output": ("Output {i} of the user-provided function does not require gradients. The outputs must be "
                         "computed in a differentiable manner from the input when running in strict mode."),
    "af_strict_grad_inputs": ("The gradient with respect to input {i} is independent of the inputs of the "
                              "user-provided function. This is not allowed in strict mode."),
    "af_strict_jacobian": ("While computing the hessian, found that the jacobian of the user-provided function "
                           "with respect to input {i} is independent of the input. This is not allowed in strict "
                           "mode. You should ensure that your function is twice differentiable and that the "
                           "jacobian depends on the inputs (this would be violated by a linear function for "
                           "example)."),
    "af_strict_hessian": ("The hessian of the user-provided function with respect to input {i} is independent of "
                          "the input. This is not allowed in strict mode. You should ensure that your function is "
                          "thrice differentiable and that the hessian depends on the inputs."),
    "af_strict_independent": ("The output of the user-provided function is independent of input {i}. This is not "
                              "allowed in strict mode."),
    "af_strict_back_trick": ("The gradient with respect to the input is independent of entry {i} in the "
                             "grad_outputs when using the double backward trick to compute forward mode "
                             "gradients. This is not allowed in strict mode."),
    "af_strict_double_back": ("The jacobian of the user-provided function is independent of input {i}. This is "
                              "not allowed in strict mode."),
    "af_strict_double_back_trick": ("The hessian of the user-provided function is independent of entry {i} in the "
                                    "grad_jacobian. This is not allowed in strict mode as it prevents from using "
                                    "the double backward trick to replace forward mode AD."),
    "af_strict_create_graph": ("The {what} of the user-provided function is independent of input {i}. This is not "
                               "allowed in strict mode when create_graph=True."),
    "af_jac_strict_independent": ("Output {i} of the user-provided function is independent of input {j}. This is "
                                  "not allowed in strict mode."),
    "af_single_tensor": "The function given to {fn} should return a single Tensor",
    "af_single_element": "The Tensor returned by the function given to {fn} should contain a single element",
    "af_strategy": ('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your function has '
                    'more outputs than inputs, "forward-mode" tends to be more performant. Otherwise, prefer to '
                    'use "reverse-mode".'),
    "af_hessian_strategy": 'Expected strategy to be either "forward-mode" or "reverse-mode".',
    "af_forward_create_graph": ("torch.autograd.functional.jacobian: `create_graph=True` and "
                                '`strategy="forward-mode"` are not supported together (yet). Please either set '
                                '`create_graph=False` or `strategy="reverse-mode"`.'),
    "af_forward_strict": ('torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` are not '
                          'supported together (yet). Please either set `strict=False` or '
                          '`strategy="reverse-mode"`.'),
    "af_forward_vectorize": ("Computing Jacobian using forward-AD or forward-over-reverse Hessian isonly implemented "
                             "for `vectorize=True`."),
    "af_vectorize_strict": ("torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
                            "supported together. Please either set `strict=False` or `vectorize=False`."),
    "func_not_scalar": ("{api}(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor with {n} dims. "
                        "Maybe you wanted to use the vjp or jacrev APIs instead?"),
    "func_not_tensor": "{api}(f)(*args): Expected f(*args) to return a Tensor, got {type}",
    "func_aux": "{api}(f)(*args): output of function f should be a tuple: (output, aux) if has_aux is True",
    "func_argnum": "Got argnum={argnum}, but only {n} positional inputs",
    "func_argnums_unique": "argnums elements must be unique, got {argnums}",
    "func_transform_input": "Thing passed to transform API must be Tensor, got {type}",
    "vmap_sizes": ("vmap: Expected all tensors to have the same size in the mapped dimension, got sizes {sizes} for "
                   "the mapped dimension"),
    "vmap_no_tensor": "vmap: Expected at least one Tensor to vmap over",
    "vmap_return": ("vmap({name}, ...): `{name}` must only return Tensors, got type {type}. Did you mean to set "
                    "out_dims= to None for output?"),
    "vmap_in_dim_range": ("vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for some input, but that "
                          "input is a Tensor of dimensionality {n} so expected in_dim to satisfy -{n} <= in_dim < "
                          "{n}."),
    "vmap_in_dim_type": ("vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for an input but the input "
                         "is of type {type}. We cannot vmap over non-Tensor arguments, please use None as the "
                         "respective in_dim"),
    "vmap_in_dims_kind": ("vmap({name}, in_dims={in_dims}, ...)(<inputs>): expected `in_dims` to be int or a "
                          "(potentially nested) tuple matching the structure of inputs, got: {type}."),
    "vmap_in_dims_structure": ("vmap({name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
                               "structure of `inputs`."),
    "vmap_randomness": ("vmap: called random operation while in randomness error mode. Please either use the 'same' "
                        "or 'different' randomness flags on vmap or perform the randomness operation out of vmap"),
    "vmap_randomness_value": "Only allowed values for randomness are 'error', 'different', or 'same'. Got {value}",
    "vmap_out_none": "vmap({name}, ...): `{name}` can not return a BatchedTensor when out_dim is None",
    "ckpt_use_reentrant": (
        "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. Starting in PyTorch 2.9, "
        "calling checkpoint without use_reentrant will raise an exception. use_reentrant=False is recommended, but "
        "if you need to preserve the current default behavior, you can pass use_reentrant=True. Refer to docs for "
        "more details on the differences between the two variants."),
    "ckpt_seq_use_reentrant": (
        "torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be passed explicitly. In "
        "version 2.9 we will raise an exception if use_reentrant is not passed. use_reentrant=False is recommended, "
        "but if you need to preserve the current default behavior, you can pass use_reentrant=True. Refer to docs "
        "for more details on the differences between the two variants."),
    "ckpt_no_input_grad": "None of the inputs have requires_grad=True. Gradients will be None",
    "ckpt_kwargs": "Unexpected keyword arguments: {names}",
    "ckpt_no_output_grad": "none of output has requires_grad=True, this checkpoint() is not necessary",
    # --- distributions --------------------------------------------------------
    "dist_invalid_param": (
        "Expected parameter {param} ({type} of shape {shape}) of distribution {dist} to satisfy the constraint "
        "{constraint}, but found invalid values:\n{value}"
    ),
    "dist_invalid_value": (
        "Expected value argument ({type} of shape {shape}) to be within the support ({support}) of the "
        "distribution {dist}, but found invalid values:\n{value}"
    ),
    "dist_value_not_tensor": "The value argument to log_prob must be a Tensor",
    "dist_event_shape": "The right-most size of value must match event_shape: {actual} vs {event}.",
    "dist_not_broadcastable": "Value is not broadcastable with batch_shape+event_shape: {actual} vs {expected}.",
    "dist_probs_or_logits": "Either `probs` or `logits` must be specified, but not both.",
    "dist_param_1d": "`{name}` parameter must be at least one-dimensional.",
    "dist_expand_custom_init": (
        "Subclass {sub} of {cls} that defines a custom __init__ method must also define a custom .expand() method."
    ),
    "mvn_loc_1d": "loc must be at least one-dimensional.",
    "mvn_one_of": "Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.",
    "mvn_matrix_2d": "{name} must be at least two-dimensional, with optional leading batch dimensions",
    "independent_ndims": (
        "Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual {n} vs {batch}"
    ),
    "kl_not_implemented": "No KL(p || q) is implemented for p type {p} and q type {q}",
    "kl_mvn_event": (
        "KL-divergence between two Multivariate Normals with                          different event shapes "
        "cannot be computed"
    ),
    "kl_expfamily": (
        "The cross KL-divergence between different exponential families cannot                             "
        "be computed using Bregman divergences"
    ),
    # --- scatter_reduce, index_put, *_scatter, matrix_exp ---------------------
    "view_scatter_size": "expected src to have a size equal to the slice of self. src size = {src}, slice size = {size}",
    "slice_step_positive": "slice step must be positive",
    "index_put_empty": ('ntensor >= 3 INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/aten/src/ATen/native/cpu/'
                        'IndexKernelUtils.h":8, please report a bug to PyTorch. '),
    "scatter_reduce_bool": "scatter_reduce(): argument 'include_self' must be bool, not {type}",
    "index_put_tuple": "{fn}(): argument 'indices' (position {pos}) must be tuple of Tensors, not {type}",
    "index_put_element": "expected Tensor as element {k} in argument {arg}, but got {type}",
    "index_put_accumulate": "{fn}(): argument 'accumulate' (position 4) must be bool, not {type}",
    "index_put_too_many": "too many indices for tensor of dimension {ndim} (got {n})",
    "scatter_reduce_old": "reduce argument must be either add or multiply.",
    "scatter_reduce_deprecated": ("The reduce argument of torch.scatter with Tensor src is deprecated and will be "
                                  "removed in a future PyTorch release. Use torch.scatter_reduce instead for more "
                                  "reduction options."),
    "scatter_reduce_reduce": "reduce argument must be either sum, prod, mean, amax or amin, got {reduce}",
    # --- nn.utils: weight_norm, spectral_norm, parametrize ---------------------
    "spectral_norm_dim": "Dimension out of range (expected to be in range of [-{ndim}, {hi}] but got {dim})",
    "spectral_norm_iterations": "Expected n_power_iterations to be positive, but got n_power_iterations={n}",
    "spectral_norm_no_weight": "Module '{module}' has no parameter or buffer with name '{name}'",
    "spectral_norm_twice": "Cannot register two spectral_norm hooks on the same parameter {name}",
    "spectral_norm_none": "`SpectralNorm` cannot be applied as parameter `{name}` is None",
    "spectral_norm_missing": "spectral_norm of '{name}' not found in {module}",
    "weight_norm_deprecated": ("`torch.nn.utils.weight_norm` is deprecated in favor of "
                               "`torch.nn.utils.parametrizations.weight_norm`."),
    "weight_norm_twice": "Cannot register two weight_norm hooks on the same parameter {name}",
    "weight_norm_missing": "weight_norm of '{name}' not found in {module}",
    "fuse_eval_only": "Fusion only for eval!",
    "fuse_no_running_stats": "bn.running_mean and bn.running_var must not be None",
    "fuse_linear_features": ("To fuse, linear.out_features == bn.num_features or bn.num_features == 1, got "
                             "linear.out_features={out} and bn.num_features={bn}"),
    "skip_init_not_module": "Expected a Module; got {cls}",
    "skip_init_no_device": "Module must support a 'device' arg to skip initialization",
    "functional_call_deprecated": ("`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 and "
                                   "will be removed in a future version of PyTorch. Please use "
                                   "`torch.func.functional_call` instead which is a drop-in replacement."),
    "functional_call_tied": ("functional_call got multiple values for keys {keys}, which are tied. Consider using "
                             "tie_weights=False"),
    "functional_call_strict": "Error(s) in reparametrizing for {name}:\n\t{errors}",
    "clip_grad_nonfinite": ("The total norm of order {p} for gradients from `parameters` is non-finite, so it cannot "
                            "be clipped. To disable this error and scale the gradients by the non-finite norm anyway, "
                            "set `error_if_nonfinite=False`"),
    "clip_grad_norm_deprecated": ("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                                  "`torch.nn.utils.clip_grad_norm_`."),
    "parametrize_empty_list": "ParametrizationList requires one or more modules.",
    "parametrize_right_inverse_type": ("'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). "
                                       "Got {got}"),
    "parametrize_right_inverse_dtype": ("When `right_inverse` outputs one tensor, it may not change the dtype.\n"
                                        "original.dtype: {orig}\nright_inverse(original).dtype: {new}"),
    "parametrize_right_inverse_device": ("When `right_inverse` outputs one tensor, it may not change the device.\n"
                                         "original.device: {orig}\nright_inverse(original).device: {new}"),
    "parametrize_right_inverse_elem": ("'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). "
                                       "Got element {i} of the sequence with type {got}."),
    "parametrize_not_tensor": "A parametrization must return a tensor. Got {got}.",
    "parametrize_first_dtype": ("Registering a parametrization may not change the dtype of the tensor, unless `unsafe` "
                                "flag is enabled.\nunparametrized dtype: {orig}\nparametrized dtype: {new}"),
    "parametrize_first_shape": ("Registering a parametrization may not change the shape of the tensor, unless `unsafe` "
                                "flag is enabled.\nunparametrized shape: {orig}\nparametrized shape: {new}"),
    "parametrize_next_dtype": ("Registering a parametrization may not change the dtype of the tensor, unless the "
                               "`unsafe` flag is enabled.\nmodule.{name}.dtype: {orig}\n"
                               "parametrization(module.{name}).dtype: {new}"),
    "parametrize_next_shape": ("Registering a parametrization may not change the shape of the tensor, unless the "
                               "`unsafe` flag is enabled.\nmodule.{name}.shape: {orig}\n"
                               "parametrization(module.{name}).shape: {new}"),
    "parametrize_next_inverse_type": "parametrization.right_inverse must return a tensor. Got: {got}",
    "parametrize_next_inverse_dtype": ("The tensor returned by parametrization.right_inverse must have the same dtype "
                                       "as module.{name}, unless the `unsafe` flag is enabled.\n"
                                       "module.{name}.dtype: {orig}\nreturned dtype: {new}"),
    "parametrize_next_inverse_shape": ("The tensor returned by parametrization.right_inverse must have the same shape "
                                       "as module.{name}, unless the `unsafe` flag is enabled.\n"
                                       "module.{name}.shape: {orig}\nreturned shape: {new}"),
    "parametrize_no_right_inverse": "parametrization {name} does not implement right_inverse.",
    "parametrize_set_not_tensor": "`right_inverse` should return a tensor. Got {got}",
    "parametrize_set_dtype": "The tensor returned by `right_inverse` has dtype {new} while `original` has dtype {orig}",
    "parametrize_set_not_seq": "'right_inverse' must return a sequence of tensors. Got {got}.",
    "parametrize_set_len": ("'right_inverse' must return a sequence of tensors of length {n}. "
                            "Got a sequence of length {got}."),
    "parametrize_set_elem": ("'right_inverse' must return a sequence of tensors or reference-type opaques. "
                             "Got element {i} of type {got}."),
    "parametrize_set_elem_dtype": ("Tensor {i} returned by `right_inverse` has dtype {new} while `original{i}` has "
                                   "dtype {orig}"),
    "parametrize_pickle": ("Serialization of parametrized modules is only supported through state_dict(). See:\n"
                           "https://pytorch.org/tutorials/beginner/saving_loading_models.html"
                           "#saving-loading-a-general-checkpoint-for-inference-and-or-resuming-training"),
    "parametrize_no_tensor": ("Module '{module}' does not have a parameter, a buffer, or a parametrized element with "
                              "name '{name}'"),
    "parametrize_remove_missing": "Module {module} does not have a parametrization on {name}",
    "parametrize_remove_seq": ("Cannot leave unparametrized (`leave_parametrized=False`) a tensor that is parametrized "
                               "in terms of a sequence of tensors."),
    # --- transposed and 3-d convolution, unpooling, more layers (nn/) -------
    "bag_psw_shape": ("embedding_bag: If per_sample_weights ({p}) is not None, then it must have the same shape as "
                      "the input ({x})"),
    "bag_weight_dims": "weight has to be a 2D Tensor, but got Tensor of dimension {d}",
    "bag_offsets_2d": ("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed "
                       "length sequences. However, found offsets of type {t}"),
    "bag_offsets_none": "offsets has to be a 1D Tensor but got None",
    "bag_offsets_1d": "offsets has to be a 1D Tensor",
    "bag_input_dims": "input has to be 1D or 2D Tensor, but got Tensor of dimension {d}",
    "bag_mode": "mode has to be one of sum, mean or max",
    "bag_max_freq": "max mode does not support scaling the gradient by the frequency",
    "bag_max_sparse": "max mode does not support sparse weights",
    "bag_psw_mode": ("embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for "
                     "mode='sum' (got mode='{mode}'). Please open a feature request on GitHub."),
    "bag_index_dtype": ("Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, "
                        "Int; but got {t} instead (while checking arguments for embedding_bag)"),
    "bag_offsets_first": ("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                          "position 0. However, got {o}"),
    "bag_offsets_last": "offsets[-1] can not be greater than input's length {n} but got offsets[-1] of {o}",
    "bag_index_range": "Index {i} of input takes value {v} which is not in the valid range [0, {n})",
    "rrelu_bounds": "Lower bound should be less than or equal to the upper bound",
    "feature_dropout_dims": "Feature dropout requires at least 2 dimensions in the input",
    "adaptive_avg3d_dims": "adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got {shape}",
    "adaptive_avg3d_size": "adaptive_avg_pool3d: output_size must be 3",
    "pool3d_dims": "non-empty 4D or 5D (batch mode) tensor expected for input",
    "pool3d_pad": ("pad should be at most half of effective kernel size, but got pad={p}, kernel_size={k} and "
                   "dilation={d}"),
    "pool3d_small": "Given input size: ({i}). Calculated output size: ({o}). Output size is too small",
    "avg_pool3d_small": "input image (T: {t} H: {h} W: {w}) smaller than kernel size (kT: {kt} kH: {kh} kW: {kw})",
    "conv3d_kernel": ("Calculated padded input size per channel: ({size}). Kernel size: ({k}). Kernel size can't be "
                      "greater than actual input size"),
    "unpool_size_len": ("output_size should be a sequence containing {n} or {n2} elements, but it has a length of "
                        "'{got}'"),
    "unpool_size_range": 'invalid output_size "{size}" (dim {d} must be between {lo} and {hi})',
    "unpool_dims": "Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with {d} dimensions.",
    "unpool_index_dtype": "elements in indices should be type int64 but got: {dtype}",
    "unpool_index_shape": ("Expected shape of indices to be same as that of the input tensor ({x}) but got indices "
                           "tensor with shape: {i}"),
    "unpool_index_value": "Found an invalid max index: {i} (output volumes are of size {h}x{w})",
    "convt_weight_dims": ("expected stride to be a single integer value or a list of {n} values to match the "
                          "convolution dimensions, but got stride={stride}"),
    "convt_groups": ("Given groups={g}, expected weight to be divisible by {g} at dimension 0, but got weight of size "
                     "[{w}] instead"),
    "convt_channels": ("Given transposed=1, weight of size {w}, expected input{x} to have {c} channels, but got {got} "
                       "channels instead"),
    "convt_bias": ("Given transposed=1, weight of size {w}, expected bias to be 1-dimensional with {o} elements, but "
                   "got bias of size {b} instead"),
    "convt_output_padding": ("output padding must be smaller than either stride or dilation, but got "
                             "output_padding_height: {oh} output_padding_width: {ow} stride_height: {sh} stride_width: "
                             "{sw} dilation_height: {dh} dilation_width: {dw}"),
    "convt_output_size": "Given input size: {size}. Calculated output size: {out}. Output size is too small",
    # --- lu, qr/cholesky methods, index_reduce, module state-dict hooks -------
    "cholesky_deprecated": (
        "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future PyTorch "
        "release.\nL = torch.cholesky(A)\nshould be replaced with\nL = torch.linalg.cholesky(A)\nand\n"
        "U = torch.cholesky(A, upper=True)\nshould be replaced with\nU = torch.linalg.cholesky(A).mH\n"
        "This transform will produce equivalent results for all valid (symmetric positive definite) inputs."
    ),
    "qr_deprecated": (
        "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch release.\n"
        "The boolean parameter 'some' has been replaced with a string parameter 'mode'.\nQ, R = torch.qr(A, some)\n"
        "should be replaced with\nQ, R = torch.linalg.qr(A, 'reduced' if some else 'complete')"
    ),
    "mvlgamma_int_inplace": "mvlgamma: result type {dtype} can't be cast to the desired output type Float",
    "mvlgamma_p": "p has to be greater than or equal to 1",
    "index_reduce_bool": "index_reduce(): argument 'include_self' must be bool, not {type}",
    "index_reduce_reduce": "index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}.",
    "index_reduce_beta": "index_reduce() is in beta and the API may change at any time.",
    "index_reduce_index_dtype": "index_reduce_(): Expected dtype int32/int64 for index but got: {dtype}",
    "index_reduce_vector": (
        "index_reduce_(): Index is supposed to be a vector, but got dim: {n} with type: {dtype} and size: {shape}"
    ),
    "index_reduce_count": (
        "index_reduce_(): Number of indices ({n}) should be equal to source.size(dim): ({size}), for dim: {dim}"
    ),
    "index_reduce_dtype": "index_reduce_(): self ({a}) and source ({b}) must have the same scalar type",
    # --- more distributions ----------------------------------------------------
    "dist_multinomial_total_count": "inhomogeneous total_count is not supported",
    "dist_binomial_inhomogeneous": "Inhomogeneous total count not supported by `{what}`.",
    "kl_binomial_total_count": "KL between Binomials where q.total_count > p.total_count is not implemented",
    "dist_transforms_list": "transforms must be a Transform or a list of Transforms",
    "dist_transforms_type": "transforms must be a Transform or list, but was {value}",
    "transform_cache_size": "cache_size must be 0 or 1",
    "transform_too_few_dims": "Too few dimensions on input",
    "constraint_cannot_transform": "Cannot transform {name} constraints",
    "constraint_register_type": "Expected constraint to be either a Constraint subclass or instance, but got {value}",
    "dist_geometric_probs": (
        "Expected parameter probs ({type} of shape {shape}) of distribution {dist} to be positive but found "
        "invalid values:\n{value}"
    ),
}

# The exception class PyTorch raises for each message (RuntimeError otherwise).
CLASSES = {
    "bag_psw_shape": ValueError,
    "bag_weight_dims": ValueError,
    "bag_offsets_2d": ValueError,
    "bag_offsets_none": ValueError,
    "bag_offsets_1d": ValueError,
    "bag_input_dims": ValueError,
    "bag_mode": ValueError,
    "bag_max_freq": ValueError,
    "bag_max_sparse": ValueError,
    "bag_psw_mode": NotImplementedError,
    "unpool_size_len": ValueError,
    "unpool_size_range": ValueError,
    "dist_multinomial_total_count": NotImplementedError,
    "dist_binomial_inhomogeneous": NotImplementedError,
    "kl_binomial_total_count": NotImplementedError,
    "dist_transforms_list": ValueError,
    "dist_transforms_type": ValueError,
    "transform_cache_size": ValueError,
    "transform_too_few_dims": ValueError,
    "constraint_cannot_transform": NotImplementedError,
    "constraint_register_type": TypeError,
    "dist_geometric_probs": ValueError,
    "index_reduce_bool": TypeError,
    "index_reduce_vector": IndexError,
    "scatter_reduce_bool": TypeError,
    "index_put_tuple": TypeError,
    "index_put_element": TypeError,
    "index_put_accumulate": TypeError,
    "index_put_too_many": IndexError,
    "fuse_eval_only": AssertionError,
    "fuse_no_running_stats": AssertionError,
    "fuse_linear_features": AssertionError,
    "functional_call_tied": ValueError,
    "af_not_tensor_at": TypeError,
    "af_not_tensor": TypeError,
    "af_forward_create_graph": NotImplementedError,
    "af_forward_vectorize": NotImplementedError,
    "func_transform_input": ValueError,
    "vmap_sizes": ValueError,
    "vmap_no_tensor": ValueError,
    "vmap_return": ValueError,
    "vmap_in_dim_range": ValueError,
    "vmap_in_dim_type": ValueError,
    "vmap_in_dims_kind": ValueError,
    "vmap_in_dims_structure": ValueError,
    "vmap_out_none": ValueError,
    "ckpt_kwargs": ValueError,
    "spectral_norm_dim": IndexError,
    "spectral_norm_iterations": ValueError,
    "spectral_norm_no_weight": ValueError,
    "spectral_norm_none": ValueError,
    "spectral_norm_missing": ValueError,
    "weight_norm_missing": ValueError,
    "dist_invalid_param": ValueError,
    "dist_invalid_value": ValueError,
    "dist_value_not_tensor": ValueError,
    "dist_event_shape": ValueError,
    "dist_not_broadcastable": ValueError,
    "dist_probs_or_logits": ValueError,
    "dist_param_1d": ValueError,
    "dist_expand_custom_init": NotImplementedError,
    "mvn_loc_1d": ValueError,
    "mvn_one_of": ValueError,
    "mvn_matrix_2d": ValueError,
    "independent_ndims": ValueError,
    "kl_not_implemented": NotImplementedError,
    "kl_mvn_event": ValueError,
    "kl_expfamily": NotImplementedError,
    "parametrize_empty_list": ValueError,
    "parametrize_right_inverse_type": ValueError,
    "parametrize_right_inverse_dtype": ValueError,
    "parametrize_right_inverse_device": ValueError,
    "parametrize_right_inverse_elem": ValueError,
    "parametrize_not_tensor": ValueError,
    "parametrize_first_dtype": ValueError,
    "parametrize_first_shape": ValueError,
    "parametrize_next_dtype": ValueError,
    "parametrize_next_shape": ValueError,
    "parametrize_next_inverse_type": ValueError,
    "parametrize_next_inverse_dtype": ValueError,
    "parametrize_next_inverse_shape": ValueError,
    "parametrize_set_not_tensor": ValueError,
    "parametrize_set_dtype": ValueError,
    "parametrize_set_not_seq": ValueError,
    "parametrize_set_len": ValueError,
    "parametrize_set_elem": ValueError,
    "parametrize_set_elem_dtype": ValueError,
    "parametrize_no_tensor": ValueError,
    "parametrize_remove_missing": ValueError,
    "parametrize_remove_seq": ValueError,
    "apply_cpu": TypeError,
    "interp_align_corners": ValueError,
    "interp_size_and_scale": ValueError,
    "interp_no_size": ValueError,
    "interp_size_len": ValueError,
    "interp_size_type": TypeError,
    "interp_scale_len": ValueError,
    "interp_recompute": ValueError,
    "interp_antialias": ValueError,
    "interp_mode_dims": NotImplementedError,
    "interp_input_dims": NotImplementedError,
    "interp_lanczos_corners": ValueError,
    "interp_lanczos_antialias": ValueError,
    "interp_unsupported": NotImplementedError,
    "shuffle_factor_type": TypeError,
    "bilinear_in1": ValueError,
    "lrn_dims": ValueError,
    "circular_pad_dims": ValueError,
    "pad_mode_unknown": NotImplementedError,
    "pad_mode_dims": NotImplementedError,
    "group_norm_module": ValueError,
    "instance_norm_spatial": ValueError,
    "instance_norm_features": ValueError,
    "rnn_dropout": ValueError,
    "rnn_arg_type": TypeError,
    "rnn_positive": ValueError,
    "rnn_proj_negative": ValueError,
    "rnn_proj_size": ValueError,
    "rnn_proj_lstm_only": ValueError,
    "rnn_nonlinearity": ValueError,
    "rnn_input_2d3d": ValueError,
    "rnn_input_2d3d_tensor": ValueError,
    "rnn_dtype": ValueError,
    "cell_input_dims": ValueError,
    "cell_hidden_dims": ValueError,
    "cell_hx_dims": ValueError,
    "packed_batch_sizes_cpu": ValueError,
    "pad_total_length": ValueError,
    "init_orthogonal_dims": ValueError,
    "init_dirac_dims": ValueError,
    "init_dirac_groups": ValueError,
    "init_sparse_dims": ValueError,
    "mha_mask_type": AssertionError,
    "mha_kv_dims": AssertionError,
    "mha_kpm_dims": AssertionError,
    "mha_mask_dims": AssertionError,
    "mha_mask_3d_unbatched": AssertionError,
    "mha_query_dims": AssertionError,
    "mha_embed_dim": AssertionError,
    "mha_heads_divide": AssertionError,
    "mha_kv_shape": AssertionError,
    "mha_kv_shape_sep": AssertionError,
    "mha_kpm_size": AssertionError,
    "mha_module_divide": AssertionError,
    "mha_module_sizes": ValueError,
    "dropout_p": ValueError,
    "slice_0d": IndexError,
    "reduction_invalid": ValueError,
    "reduction_not_valid": ValueError,
    "triplet_margin": ValueError,
    "triplet_module_margin": ValueError,
    "block_diag_type": TypeError,
    "gaussian_var_negative": ValueError,
    "gaussian_var_size": ValueError,
    "lbfgs_groups": ValueError,
    "sched_lambda_callable": TypeError,
    "sched_no_optimizer": TypeError,
    "sched_param_len": ValueError,
    "sched_no_momentum": ValueError,
    "sched_cyclic_mode": ValueError,
    "sched_constant_factor": ValueError,
    "sched_linear_start": ValueError,
    "sched_linear_end": ValueError,
    "sched_sequential_empty": ValueError,
    "sched_chained_empty": ValueError,
    "sched_plateau": ValueError,
    "sched_other_optimizer": ValueError,
    "sched_milestones": ValueError,
    "sched_t0": ValueError,
    "sched_tmult": ValueError,
    "sched_eta_min": ValueError,
    "sched_negative_epoch": ValueError,
    "sched_total_steps": ValueError,
    "sched_epochs": ValueError,
    "sched_steps_per_epoch": ValueError,
    "sched_onecycle_steps": ValueError,
    "sched_pct_start": ValueError,
    "sched_anneal": ValueError,
    "sched_onecycle_over": ValueError,
    "paramlist_extend": TypeError,
    "paramdict_key": TypeError,
    "paramdict_update": TypeError,
    "paramdict_update_item": TypeError,
    "paramdict_update_len": ValueError,
    "sampler_num_samples": ValueError,
    "sampler_replacement": ValueError,
    "sampler_weights_1d": ValueError,
    "stack_both": ValueError,
    "stack_size": ValueError,
    "stack_none": ValueError,
    "stack_items": ValueError,
    "optim_lr": ValueError,
    "optim_eps": ValueError,
    "optim_beta": ValueError,
    "optim_weight_decay": ValueError,
    "optim_momentum_decay": ValueError,
    "optim_rho": ValueError,
    "optim_etas": ValueError,
    "inv_singular": type("_LinAlgError", (RuntimeError,), {"__module__": "torch._C"}),  # torch.linalg.LinAlgError
    "tensordot_list": TypeError,
    "aminmax_empty_dim": IndexError,
    "einsum_no_operands": ValueError,
    "einsum_equation": TypeError,
    "einsum_operand": TypeError,
    "einsum_sublist": ValueError,
    "take_oob": IndexError,
    "put_count": IndexError,
    "index_add_vector": IndexError,
    "index_copy_count": IndexError,
    "index_copy_oob": IndexError,
    "index_copy_dims": IndexError,
    "index_fill_dtype": IndexError,
    "dim_range": IndexError,
    "index_oob": IndexError,
    "index_dtype": IndexError,
    "mask_shape": IndexError,
    "too_many_indices": IndexError,
    "index_select_vector": IndexError,
    "zero_dim_index": IndexError,
    "bad_index_type": IndexError,
    "index_broadcast": IndexError,
    "assign_type": TypeError,
    "index_select_oob": IndexError,
    "narrow_start": IndexError,
    "no_dims": IndexError,
    "cat_empty": ValueError,
    "ragged": ValueError,
    "bad_data": TypeError,
    "default_dtype": TypeError,
    "from_numpy_type": TypeError,
    "cuda_unavailable": AssertionError,
    "numpy_cuda": TypeError,
    "bitwise_float": NotImplementedError,
    "invert_float": TypeError,
    "not_implemented": NotImplementedError,
    "empty_reduce_arg": IndexError,
    "empty_reduce_dim": IndexError,
}


def msg(key, **fields):
    """The catalogue text for ``key`` with ``fields`` filled in."""
    text = MESSAGES[key]
    return text.format(**fields) if fields else text


def fail(key, **fields):
    """Raise PyTorch's exception for ``key``."""
    raise CLASSES.get(key, RuntimeError)(msg(key, **fields))


def shape_str(shape):
    """PyTorch writes shapes in messages as ``[2, 3]``."""
    return "[" + ", ".join(str(s) for s in shape) + "]"


def check_dim(dim, ndim):
    """Wrap a possibly negative ``dim`` into ``range(ndim)`` with PyTorch's error."""
    n = max(ndim, 1)  # a 0-dim tensor accepts dim 0 and -1
    if not -n <= dim < n:
        fail("dim_range", lo=-n, hi=n - 1, dim=dim)
    return dim % n
