
fn sin_poly(r: f32) -> f32 {
  let r2 = r * r;
  return r + r * r2 * (-0.16666666666666666 + r2 * (0.008333333333333333 + r2 * (-1.984126984126984e-4 + r2 * (2.7557319223985893e-6 + r2 * (-2.505210838544172e-8)))));
}
fn cos_poly(r: f32) -> f32 {
  let r2 = r * r;
  return 1.0 + r2 * (-0.5 + r2 * (0.041666666666666664 + r2 * (-0.001388888888888889 + r2 * (2.48015873015873e-5 + r2 * (-2.755731922398589e-7 + r2 * 2.08767569878681e-9)))));
}
fn acc_sincos(x: f32) -> vec2<f32> {
  let k = round(x * 0.6366197723675814);
  let r = ((x - k * 1.5703125) - k * 4.837512969970703e-4) - k * 7.549789954891882e-8;
  let s = sin_poly(r);
  let c = cos_poly(r);
  let q = i32(k) & 3;
  if (q == 0) { return vec2<f32>(s, c); }
  if (q == 1) { return vec2<f32>(c, -s); }
  if (q == 2) { return vec2<f32>(-s, -c); }
  return vec2<f32>(-c, s);
}
fn acc_sin(x: f32) -> f32 { return acc_sincos(x).x; }
fn acc_cos(x: f32) -> f32 { return acc_sincos(x).y; }
fn acc_tanh(x: f32) -> f32 {
  let y = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - y) / (1.0 + y);
}
fn q16(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  let sgn = b & 0x80000000u;
  let a = b & 0x7fffffffu;
  if (a >= 0x7f800000u) { return x; }
  if (a >= 0x477ff000u) { return bitcast<f32>(sgn | 0x7f800000u); }
  if (a >= 0x38800000u) {
    let r = a + 0xfffu + ((a >> 13u) & 1u);
    return bitcast<f32>(sgn | (r & 0xffffe000u));
  }
  let k = round(abs(x) * 16777216.0);
  return bitcast<f32>(sgn | bitcast<u32>(k * 5.9604644775390625e-8));
}
fn acc_log_unit(u: f32) -> f32 {
  if (u < 0.5) { return log(u); }
  let s = (u - 1.0) / (u + 1.0);
  let s2 = s * s;
  let p = 1.0 + s2 * (0.3333333333333333 + s2 * (0.2 + s2 * (0.14285714285714285 + s2 * (0.1111111111111111 + s2 * (0.09090909090909091 + s2 * (0.07692307692307693 + s2 * 0.06666666666666667))))));
  return 2.0 * s * p;
}
