
fn mulhi32(a: u32, b: u32) -> u32 {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let hl = ah * bl;
  let hh = ah * bh;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return hh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
}

fn philox4x32_10(c0: u32, c1: u32, c2: u32, k0: u32, k1: u32) -> vec4<u32> {
  var x = vec4<u32>(c0, c1, c2, 0u);
  var a = k0;
  var b = k1;
  for (var r = 0u; r < 10u; r = r + 1u) {
    if (r > 0u) {
      a = a + 0x9e3779b9u;
      b = b + 0xbb67ae85u;
    }
    let hi0 = mulhi32(0xd2511f53u, x.x);
    let lo0 = 0xd2511f53u * x.x;
    let hi1 = mulhi32(0xcd9e8d57u, x.z);
    let lo1 = 0xcd9e8d57u * x.z;
    x = vec4<u32>(hi1 ^ x.y ^ a, lo1, hi0 ^ x.w ^ b, lo0);
  }
  return x;
}

fn u01(x: u32) -> f32 {
  return f32(x >> 8u) * 5.9604644775390625e-8;
}

fn normal_of(x0: u32, x1: u32, odd: bool) -> f32 {
  let u1 = f32((x0 >> 8u) + 1u) * 5.9604644775390625e-8;
  let u2 = f32(x1 >> 8u) * 5.9604644775390625e-8;
  let sc = acc_sincos(6.283185307179586 * u2);
  return sqrt(-2.0 * acc_log_unit(u1)) * select(sc.y, sc.x, odd);
}

fn normal_at(x: vec4<u32>, i: u32) -> f32 {
  let j = i & 2u;
  return normal_of(x[j], x[j + 1u], (i & 1u) == 1u);
}
