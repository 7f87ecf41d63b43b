(module
 (type $0 (func (param i32 i32 i32 i32)))
 (type $1 (func (param i32 i32 i32)))
 (type $2 (func (param i32 i32 i32 i32 i32 i32 i32 i32)))
 (type $3 (func (param i32 i32 i32 i32 i32 f32 i32 i32 i32 i32 f32 i32 i32 i32)))
 (type $4 (func (param i32 i32) (result f64)))
 (type $5 (func (param i32 i32 i32 i32 i32 i32 i32 f32 i32)))
 (type $6 (func (param i32 i32 i32 i32 i32 i32 i32)))
 (type $7 (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32)))
 (type $8 (func (param i32 i32 i32 i32 i32 f32 f32 f32 f32 f32 f32 f32 f32 f32)))
 (type $9 (func (param i32 i32 i32 i32) (result f64)))
 (type $10 (func (param i32 i32 i32 i32 i32 i32)))
 (type $11 (func (param i32 i32 i32 i32 f32)))
 (type $12 (func (param i32 i32 f32)))
 (type $13 (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
 (type $14 (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
 (type $15 (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
 (type $16 (func (result i32)))
 (type $17 (func (param i32 i32 i32 i32 i32)))
 (type $18 (func (param i32 i32 i32 i32 f64 f32 i32)))
 (type $19 (func (param i32 i32 i32 i32 i32 i32 i32 f32 f32 f32 f32 f32 f32 f32 f32 f32)))
 (import "env" "memory" (memory $0 1 65536 shared))
 (export "gemmScratchBytes" (func $asm/kernels/gemmScratchBytes))
 (export "gemm" (func $asm/kernels/gemm))
 (export "sigmoid" (func $asm/kernels/sigmoid))
 (export "tanh" (func $asm/kernels/tanh))
 (export "lstmForward" (func $asm/kernels/lstmForward))
 (export "lstmBackward" (func $asm/kernels/lstmBackward))
 (export "lstmSequenceForward" (func $asm/kernels/lstmSequenceForward))
 (export "adamUpdate" (func $asm/kernels/adamUpdate))
 (export "sumSquares" (func $asm/kernels/sumSquares))
 (export "scaleBy" (func $asm/kernels/scaleBy))
 (export "copyRows" (func $asm/kernels/copyRows))
 (export "lstmSequenceBackward" (func $asm/kernels/lstmSequenceBackward))
 (export "addInto" (func $asm/kernels/addInto))
 (export "sumRows" (func $asm/kernels/sumRows))
 (export "gatherRows" (func $asm/kernels/gatherRows))
 (export "scatterAddRows" (func $asm/kernels/scatterAddRows))
 (export "dropoutForward" (func $asm/kernels/dropoutForward))
 (export "mulElements" (func $asm/kernels/mulElements))
 (export "zeroRows" (func $asm/kernels/zeroRows))
 (export "sumSquaresRows" (func $asm/kernels/sumSquaresRows))
 (export "scaleRows" (func $asm/kernels/scaleRows))
 (export "adamRows" (func $asm/kernels/adamRows))
 (export "addElements" (func $asm/kernels/addElements))
 (func $asm/kernels/gemm (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 f32) (param $6 i32) (param $7 i32) (param $8 i32) (param $9 i32) (param $10 f32) (param $11 i32) (param $12 i32) (param $13 i32)
  (local $14 i32)
  (local $15 i32)
  (local $16 i32)
  (local $17 i32)
  (local $18 i32)
  (local $19 i32)
  (local $20 i32)
  (local $21 v128)
  (local $22 i32)
  (local $23 i32)
  local.get $3
  i32.const 0
  i32.le_s
  local.get $2
  i32.const 0
  i32.le_s
  i32.or
  if
   return
  end
  local.get $10
  f32.const 1
  f32.ne
  if
   local.get $10
   f32x4.splat
   local.set $21
   loop $for-loop|0
    local.get $2
    local.get $16
    i32.gt_s
    if
     local.get $11
     local.get $12
     local.get $16
     i32.mul
     i32.const 2
     i32.shl
     i32.add
     local.set $18
     i32.const 0
     local.set $14
     local.get $10
     f32.const 0
     f32.eq
     if
      loop $for-loop|1
       local.get $14
       i32.const 4
       i32.add
       local.tee $15
       local.get $3
       i32.le_s
       if
        local.get $18
        local.get $14
        i32.const 2
        i32.shl
        i32.add
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        v128.store
        local.get $15
        local.set $14
        br $for-loop|1
       end
      end
      loop $for-loop|2
       local.get $3
       local.get $14
       i32.gt_s
       if
        local.get $18
        local.get $14
        i32.const 2
        i32.shl
        i32.add
        f32.const 0
        f32.store
        local.get $14
        i32.const 1
        i32.add
        local.set $14
        br $for-loop|2
       end
      end
     else
      loop $for-loop|3
       local.get $14
       i32.const 4
       i32.add
       local.tee $15
       local.get $3
       i32.le_s
       if
        local.get $18
        local.get $14
        i32.const 2
        i32.shl
        i32.add
        local.tee $14
        local.get $14
        v128.load
        local.get $21
        f32x4.mul
        v128.store
        local.get $15
        local.set $14
        br $for-loop|3
       end
      end
      loop $for-loop|4
       local.get $3
       local.get $14
       i32.gt_s
       if
        local.get $18
        local.get $14
        i32.const 2
        i32.shl
        i32.add
        local.tee $15
        local.get $15
        f32.load
        local.get $10
        f32.mul
        f32.store
        local.get $14
        i32.const 1
        i32.add
        local.set $14
        br $for-loop|4
       end
      end
     end
     local.get $16
     i32.const 1
     i32.add
     local.set $16
     br $for-loop|0
    end
   end
  end
  local.get $4
  i32.const 0
  i32.le_s
  local.get $5
  f32.const 0
  f32.eq
  i32.or
  if
   return
  end
  local.get $13
  i32.const 131072
  i32.add
  local.tee $18
  i32.const 2097152
  i32.add
  local.set $20
  local.get $1
  i32.eqz
  local.tee $14
  if
   local.get $2
   i32.const 16
   i32.le_s
   local.set $14
  end
  loop $for-loop|00
   local.get $3
   local.get $17
   i32.gt_s
   if
    i32.const 2048
    local.get $3
    local.get $17
    i32.sub
    local.tee $15
    local.get $15
    i32.const 2048
    i32.gt_s
    select
    local.set $19
    i32.const 0
    local.set $16
    loop $for-loop|11
     local.get $4
     local.get $16
     i32.gt_s
     if
      i32.const 256
      local.get $4
      local.get $16
      i32.sub
      local.tee $15
      local.get $15
      i32.const 256
      i32.gt_s
      select
      local.set $22
      block $for-continue|1
       local.get $14
       if
        local.get $0
        local.get $6
        local.get $7
        i32.const 0
        local.get $16
        local.get $2
        local.get $22
        local.get $5
        local.get $13
        call $asm/kernels/packA
        local.get $2
        local.get $19
        local.get $22
        local.get $13
        local.get $8
        local.get $9
        local.get $16
        i32.mul
        local.get $17
        i32.add
        i32.const 2
        i32.shl
        i32.add
        local.get $9
        local.get $18
        local.get $11
        local.get $17
        i32.const 2
        i32.shl
        i32.add
        local.get $12
        local.get $20
        call $asm/kernels/macroDirect
        br $for-continue|1
       end
       local.get $1
       local.get $8
       local.get $9
       local.get $16
       local.get $17
       local.get $22
       local.get $19
       local.get $18
       call $asm/kernels/packB
       i32.const 0
       local.set $15
       loop $for-loop|22
        local.get $2
        local.get $15
        i32.gt_s
        if
         local.get $0
         local.get $6
         local.get $7
         local.get $15
         local.get $16
         i32.const 128
         local.get $2
         local.get $15
         i32.sub
         local.tee $23
         local.get $23
         i32.const 128
         i32.gt_s
         select
         local.tee $23
         local.get $22
         local.get $5
         local.get $13
         call $asm/kernels/packA
         local.get $23
         local.get $19
         local.get $22
         local.get $13
         local.get $18
         local.get $11
         local.get $12
         local.get $15
         i32.mul
         local.get $17
         i32.add
         i32.const 2
         i32.shl
         i32.add
         local.get $12
         local.get $20
         call $asm/kernels/macro
         local.get $15
         i32.const 128
         i32.add
         local.set $15
         br $for-loop|22
        end
       end
      end
      local.get $16
      i32.const 256
      i32.add
      local.set $16
      br $for-loop|11
     end
    end
    local.get $17
    i32.const 2048
    i32.add
    local.set $17
    br $for-loop|00
   end
  end
 )
 (func $asm/kernels/sumSquares (param $0 i32) (param $1 i32) (result f64)
  (local $2 i32)
  (local $3 i32)
  (local $4 f64)
  (local $5 v128)
  (local $6 v128)
  (local $7 v128)
  (local $8 v128)
  loop $for-loop|0
   local.get $2
   i32.const 4
   i32.add
   local.tee $3
   local.get $1
   i32.le_s
   if
    local.get $6
    local.get $0
    local.get $2
    i32.const 2
    i32.shl
    i32.add
    v128.load
    local.tee $8
    f64x2.promote_low_f32x4
    local.tee $5
    local.get $5
    f64x2.mul
    f64x2.add
    local.set $6
    local.get $7
    local.get $8
    local.get $8
    i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
    f64x2.promote_low_f32x4
    local.tee $5
    local.get $5
    f64x2.mul
    f64x2.add
    local.set $7
    local.get $3
    local.set $2
    br $for-loop|0
   end
  end
  local.get $6
  local.get $7
  f64x2.add
  local.tee $5
  f64x2.extract_lane 0
  local.get $5
  f64x2.extract_lane 1
  f64.add
  local.set $4
  loop $for-loop|1
   local.get $1
   local.get $2
   i32.gt_s
   if
    local.get $4
    local.get $0
    local.get $2
    i32.const 2
    i32.shl
    i32.add
    f32.load
    f64.promote_f32
    local.tee $4
    local.get $4
    f64.mul
    f64.add
    local.set $4
    local.get $2
    i32.const 1
    i32.add
    local.set $2
    br $for-loop|1
   end
  end
  local.get $4
 )
 (func $asm/kernels/packA (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32) (param $7 f32) (param $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 v128)
  (local $12 i32)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 i32)
  (local $17 i32)
  (local $18 v128)
  (local $19 i32)
  (local $20 i32)
  (local $21 i32)
  (local $22 i32)
  (local $23 v128)
  (local $24 v128)
  local.get $7
  f32x4.splat
  local.set $18
  local.get $2
  i32.const 2
  i32.shl
  local.set $17
  loop $for-loop|0
   local.get $5
   local.get $16
   i32.gt_s
   if
    i32.const 4
    local.get $5
    local.get $16
    i32.sub
    local.tee $9
    local.get $9
    i32.const 4
    i32.gt_s
    select
    local.set $20
    local.get $8
    local.get $6
    local.get $16
    i32.mul
    i32.const 2
    i32.shl
    i32.add
    local.set $19
    local.get $3
    local.get $16
    i32.add
    local.set $9
    local.get $0
    if
     local.get $1
     local.get $2
     local.get $4
     i32.mul
     local.get $9
     i32.add
     i32.const 2
     i32.shl
     i32.add
     local.set $9
     local.get $20
     i32.const 4
     i32.eq
     if
      i32.const 0
      local.set $12
      loop $for-loop|1
       local.get $6
       local.get $12
       i32.gt_s
       if
        local.get $19
        local.get $9
        v128.load
        local.get $18
        f32x4.mul
        v128.store
        local.get $9
        local.get $17
        i32.add
        local.set $9
        local.get $19
        i32.const 16
        i32.add
        local.set $19
        local.get $12
        i32.const 1
        i32.add
        local.set $12
        br $for-loop|1
       end
      end
     else
      i32.const 0
      local.set $10
      loop $for-loop|2
       local.get $6
       local.get $10
       i32.gt_s
       if
        i32.const 0
        local.set $12
        loop $for-loop|3
         local.get $12
         i32.const 4
         i32.lt_s
         if
          local.get $12
          i32.const 2
          i32.shl
          local.tee $21
          local.get $19
          i32.add
          local.get $12
          local.get $20
          i32.lt_s
          if (result f32)
           local.get $9
           local.get $21
           i32.add
           f32.load
           local.get $7
           f32.mul
          else
           f32.const 0
          end
          f32.store
          local.get $12
          i32.const 1
          i32.add
          local.set $12
          br $for-loop|3
         end
        end
        local.get $9
        local.get $17
        i32.add
        local.set $9
        local.get $19
        i32.const 16
        i32.add
        local.set $19
        local.get $10
        i32.const 1
        i32.add
        local.set $10
        br $for-loop|2
       end
      end
     end
    else
     local.get $1
     local.get $2
     local.get $9
     i32.mul
     local.get $4
     i32.add
     i32.const 2
     i32.shl
     i32.add
     local.set $21
     local.get $20
     i32.const 4
     i32.eq
     if
      local.get $17
      local.get $21
      i32.add
      local.tee $20
      local.get $17
      i32.add
      local.tee $22
      local.get $17
      i32.add
      local.set $12
      i32.const 0
      local.set $9
      loop $for-loop|4
       local.get $9
       i32.const 4
       i32.add
       local.tee $10
       local.get $6
       i32.le_s
       if
        local.get $19
        local.get $9
        i32.const 2
        i32.shl
        local.tee $9
        local.get $21
        i32.add
        v128.load
        local.tee $23
        local.get $9
        local.get $20
        i32.add
        v128.load
        local.tee $24
        i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        local.tee $15
        local.get $9
        local.get $22
        i32.add
        v128.load
        local.tee $14
        local.get $9
        local.get $12
        i32.add
        v128.load
        local.tee $13
        i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        local.tee $11
        i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        local.get $18
        f32x4.mul
        v128.store
        local.get $19
        local.get $15
        local.get $11
        i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
        local.get $18
        f32x4.mul
        v128.store offset=16
        local.get $19
        local.get $23
        local.get $24
        i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        local.tee $11
        local.get $14
        local.get $13
        i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        local.tee $13
        i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        local.get $18
        f32x4.mul
        v128.store offset=32
        local.get $19
        local.get $11
        local.get $13
        i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
        local.get $18
        f32x4.mul
        v128.store offset=48
        local.get $19
        i32.const -64
        i32.sub
        local.set $19
        local.get $10
        local.set $9
        br $for-loop|4
       end
      end
      loop $for-loop|5
       local.get $6
       local.get $9
       i32.gt_s
       if
        local.get $19
        local.get $9
        i32.const 2
        i32.shl
        local.tee $10
        local.get $21
        i32.add
        f32.load
        local.get $7
        f32.mul
        f32.store
        local.get $19
        local.get $10
        local.get $20
        i32.add
        f32.load
        local.get $7
        f32.mul
        f32.store offset=4
        local.get $19
        local.get $10
        local.get $22
        i32.add
        f32.load
        local.get $7
        f32.mul
        f32.store offset=8
        local.get $19
        local.get $10
        local.get $12
        i32.add
        f32.load
        local.get $7
        f32.mul
        f32.store offset=12
        local.get $19
        i32.const 16
        i32.add
        local.set $19
        local.get $9
        i32.const 1
        i32.add
        local.set $9
        br $for-loop|5
       end
      end
     else
      i32.const 0
      local.set $10
      loop $for-loop|6
       local.get $6
       local.get $10
       i32.gt_s
       if
        i32.const 0
        local.set $9
        loop $for-loop|7
         local.get $9
         i32.const 4
         i32.lt_s
         if
          local.get $19
          local.get $9
          i32.const 2
          i32.shl
          i32.add
          local.get $9
          local.get $20
          i32.lt_s
          if (result f32)
           local.get $21
           local.get $2
           local.get $9
           i32.mul
           local.get $10
           i32.add
           i32.const 2
           i32.shl
           i32.add
           f32.load
           local.get $7
           f32.mul
          else
           f32.const 0
          end
          f32.store
          local.get $9
          i32.const 1
          i32.add
          local.set $9
          br $for-loop|7
         end
        end
        local.get $19
        i32.const 16
        i32.add
        local.set $19
        local.get $10
        i32.const 1
        i32.add
        local.set $10
        br $for-loop|6
       end
      end
     end
    end
    local.get $16
    i32.const 4
    i32.add
    local.set $16
    br $for-loop|0
   end
  end
 )
 (func $asm/kernels/lstmForward (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32)
  (local $7 v128)
  (local $8 i32)
  (local $9 i32)
  (local $10 v128)
  (local $11 v128)
  (local $12 v128)
  (local $13 v128)
  (local $14 i32)
  (local $15 i32)
  (local $16 i32)
  (local $17 i32)
  (local $18 i32)
  (local $19 i32)
  (local $20 i32)
  (local $21 v128)
  (local $22 v128)
  (local $23 v128)
  (local $24 v128)
  (local $25 v128)
  (local $26 v128)
  (local $27 i32)
  (local $28 v128)
  local.get $1
  i32.const 2
  i32.shl
  local.set $16
  loop $for-loop|0
   local.get $0
   local.get $14
   i32.gt_s
   if
    local.get $1
    local.get $14
    i32.mul
    local.tee $8
    i32.const 4
    i32.shl
    local.tee $9
    local.get $2
    i32.add
    local.set $17
    local.get $4
    local.get $9
    i32.add
    local.set $18
    local.get $8
    i32.const 2
    i32.shl
    local.set $15
    i32.const 0
    local.set $8
    loop $for-loop|1
     local.get $8
     i32.const 4
     i32.add
     local.tee $9
     local.get $1
     i32.le_s
     if
      local.get $17
      local.get $8
      i32.const 2
      i32.shl
      local.tee $8
      i32.add
      local.tee $19
      local.get $16
      i32.const 3
      i32.mul
      local.tee $20
      i32.add
      v128.load
      f32x4.neg
      v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
      f32x4.pmax
      v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
      f32x4.pmin
      local.tee $7
      v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
      f32x4.mul
      f32x4.nearest
      local.set $10
      local.get $16
      local.get $19
      i32.add
      v128.load
      f32x4.neg
      v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
      f32x4.pmax
      v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
      f32x4.pmin
      local.tee $11
      v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
      f32x4.mul
      f32x4.nearest
      local.set $12
      local.get $19
      v128.load
      local.tee $13
      f32x4.abs
      local.tee $21
      local.get $21
      f32x4.mul
      local.set $22
      local.get $21
      v128.const i32x4 0x41200000 0x41200000 0x41200000 0x41200000
      f32x4.pmin
      v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
      f32x4.mul
      v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
      f32x4.pmax
      v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
      f32x4.pmin
      local.tee $23
      v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
      f32x4.mul
      f32x4.nearest
      local.set $24
      local.get $19
      local.get $16
      i32.const 1
      i32.shl
      local.tee $19
      i32.add
      v128.load
      f32x4.neg
      v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
      f32x4.pmax
      v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
      f32x4.pmin
      local.tee $25
      v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
      f32x4.mul
      f32x4.nearest
      local.set $26
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
      local.get $11
      local.get $12
      v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
      f32x4.mul
      f32x4.sub
      local.get $12
      v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
      f32x4.mul
      f32x4.sub
      local.tee $11
      v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
      f32x4.relaxed_madd
      local.get $11
      v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
      f32x4.relaxed_madd
      local.get $11
      v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
      f32x4.relaxed_madd
      local.get $11
      v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
      f32x4.relaxed_madd
      local.get $11
      v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
      f32x4.relaxed_madd
      local.get $11
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.relaxed_madd
      local.get $11
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.relaxed_madd
      local.get $12
      i32x4.trunc_sat_f32x4_s
      v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
      i32x4.add
      i32.const 23
      i32x4.shl
      f32x4.mul
      f32x4.add
      f32x4.div
      local.tee $11
      local.get $21
      local.get $21
      local.get $22
      f32x4.mul
      v128.const i32x4 0xbbbb560c 0xbbbb560c 0xbbbb560c 0xbbbb560c
      local.get $22
      v128.const i32x4 0x3ca92b72 0x3ca92b72 0x3ca92b72 0x3ca92b72
      f32x4.relaxed_madd
      local.get $22
      v128.const i32x4 0xbd5c2227 0xbd5c2227 0xbd5c2227 0xbd5c2227
      f32x4.relaxed_madd
      local.get $22
      v128.const i32x4 0x3e0883b4 0x3e0883b4 0x3e0883b4 0x3e0883b4
      f32x4.relaxed_madd
      local.get $22
      v128.const i32x4 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a
      f32x4.relaxed_madd
      f32x4.mul
      f32x4.add
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
      v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
      local.get $23
      local.get $24
      v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
      f32x4.mul
      f32x4.sub
      local.get $24
      v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
      f32x4.mul
      f32x4.sub
      local.tee $12
      v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
      f32x4.relaxed_madd
      local.get $12
      v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
      f32x4.relaxed_madd
      local.get $12
      v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
      f32x4.relaxed_madd
      local.get $12
      v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
      f32x4.relaxed_madd
      local.get $12
      v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
      f32x4.relaxed_madd
      local.get $12
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.relaxed_madd
      local.get $12
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.relaxed_madd
      local.get $24
      i32x4.trunc_sat_f32x4_s
      v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
      i32x4.add
      i32.const 23
      i32x4.shl
      f32x4.mul
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.add
      f32x4.div
      f32x4.sub
      local.get $21
      v128.const i32x4 0x3f200000 0x3f200000 0x3f200000 0x3f200000
      f32x4.lt
      v128.bitselect
      local.get $13
      v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000
      v128.and
      v128.or
      local.tee $12
      f32x4.mul
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
      local.get $25
      local.get $26
      v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
      f32x4.mul
      f32x4.sub
      local.get $26
      v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
      f32x4.mul
      f32x4.sub
      local.tee $13
      v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
      f32x4.relaxed_madd
      local.get $13
      v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
      f32x4.relaxed_madd
      local.get $13
      v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
      f32x4.relaxed_madd
      local.get $13
      v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
      f32x4.relaxed_madd
      local.get $13
      v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
      f32x4.relaxed_madd
      local.get $13
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.relaxed_madd
      local.get $13
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.relaxed_madd
      local.get $26
      i32x4.trunc_sat_f32x4_s
      v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
      i32x4.add
      i32.const 23
      i32x4.shl
      f32x4.mul
      f32x4.add
      f32x4.div
      local.tee $13
      local.get $3
      local.get $15
      i32.add
      local.get $8
      i32.add
      v128.load
      f32x4.mul
      f32x4.add
      local.tee $21
      f32x4.abs
      local.tee $22
      local.get $22
      f32x4.mul
      local.set $23
      local.get $22
      v128.const i32x4 0x41200000 0x41200000 0x41200000 0x41200000
      f32x4.pmin
      v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
      f32x4.mul
      v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
      f32x4.pmax
      v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
      f32x4.pmin
      local.tee $24
      v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
      f32x4.mul
      f32x4.nearest
      local.set $25
      local.get $8
      local.get $18
      i32.add
      local.tee $27
      local.get $12
      v128.store
      local.get $16
      local.get $27
      i32.add
      local.get $11
      v128.store
      local.get $19
      local.get $27
      i32.add
      local.get $13
      v128.store
      local.get $20
      local.get $27
      i32.add
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
      local.get $7
      local.get $10
      v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
      f32x4.mul
      f32x4.sub
      local.get $10
      v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
      f32x4.mul
      f32x4.sub
      local.tee $7
      v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
      f32x4.relaxed_madd
      local.get $7
      v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
      f32x4.relaxed_madd
      local.get $7
      v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
      f32x4.relaxed_madd
      local.get $7
      v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
      f32x4.relaxed_madd
      local.get $7
      v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
      f32x4.relaxed_madd
      local.get $7
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.relaxed_madd
      local.get $7
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.relaxed_madd
      local.get $10
      i32x4.trunc_sat_f32x4_s
      v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
      i32x4.add
      i32.const 23
      i32x4.shl
      f32x4.mul
      f32x4.add
      f32x4.div
      local.tee $7
      v128.store
      local.get $5
      local.get $15
      i32.add
      local.get $8
      i32.add
      local.get $21
      v128.store
      local.get $6
      local.get $15
      i32.add
      local.get $8
      i32.add
      local.get $7
      local.get $22
      local.get $22
      local.get $23
      f32x4.mul
      v128.const i32x4 0xbbbb560c 0xbbbb560c 0xbbbb560c 0xbbbb560c
      local.get $23
      v128.const i32x4 0x3ca92b72 0x3ca92b72 0x3ca92b72 0x3ca92b72
      f32x4.relaxed_madd
      local.get $23
      v128.const i32x4 0xbd5c2227 0xbd5c2227 0xbd5c2227 0xbd5c2227
      f32x4.relaxed_madd
      local.get $23
      v128.const i32x4 0x3e0883b4 0x3e0883b4 0x3e0883b4 0x3e0883b4
      f32x4.relaxed_madd
      local.get $23
      v128.const i32x4 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a
      f32x4.relaxed_madd
      f32x4.mul
      f32x4.add
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
      v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
      local.get $24
      local.get $25
      v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
      f32x4.mul
      f32x4.sub
      local.get $25
      v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
      f32x4.mul
      f32x4.sub
      local.tee $7
      v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
      f32x4.relaxed_madd
      local.get $7
      v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
      f32x4.relaxed_madd
      local.get $7
      v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
      f32x4.relaxed_madd
      local.get $7
      v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
      f32x4.relaxed_madd
      local.get $7
      v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
      f32x4.relaxed_madd
      local.get $7
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.relaxed_madd
      local.get $7
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.relaxed_madd
      local.get $25
      i32x4.trunc_sat_f32x4_s
      v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
      i32x4.add
      i32.const 23
      i32x4.shl
      f32x4.mul
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.add
      f32x4.div
      f32x4.sub
      local.get $22
      v128.const i32x4 0x3f200000 0x3f200000 0x3f200000 0x3f200000
      f32x4.lt
      v128.bitselect
      local.get $21
      v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000
      v128.and
      v128.or
      f32x4.mul
      v128.store
      local.get $9
      local.set $8
      br $for-loop|1
     end
    end
    local.get $1
    local.get $8
    i32.gt_s
    if
     local.get $17
     local.get $8
     i32.const 2
     i32.shl
     local.tee $9
     i32.add
     local.set $17
     local.get $9
     local.get $18
     i32.add
     local.set $18
     local.get $3
     local.get $15
     i32.add
     local.get $9
     i32.add
     local.set $19
     local.get $5
     local.get $15
     i32.add
     local.get $9
     i32.add
     local.set $20
     local.get $6
     local.get $15
     i32.add
     local.get $9
     i32.add
     local.set $9
     local.get $1
     local.get $8
     i32.sub
     local.tee $8
     i32.const 4
     i32.eq
     if (result v128)
      local.get $17
      v128.load
      local.set $10
      local.get $16
      local.get $17
      i32.add
      v128.load
      local.set $12
      local.get $17
      local.get $16
      i32.const 1
      i32.shl
      i32.add
      v128.load
      local.set $11
      local.get $17
      local.get $16
      i32.const 3
      i32.mul
      i32.add
      v128.load
      local.set $7
      local.get $19
      v128.load
     else
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.get $17
      f32.load
      f32x4.replace_lane 0
      local.set $7
      local.get $8
      i32.const 1
      i32.gt_s
      if
       local.get $7
       local.get $17
       f32.load offset=4
       f32x4.replace_lane 1
       local.set $7
      end
      local.get $8
      i32.const 2
      i32.gt_s
      if (result v128)
       local.get $7
       local.get $17
       f32.load offset=8
       f32x4.replace_lane 2
      else
       local.get $7
      end
      local.set $10
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.get $16
      local.get $17
      i32.add
      local.tee $15
      f32.load
      f32x4.replace_lane 0
      local.set $7
      local.get $8
      i32.const 1
      i32.gt_s
      if
       local.get $7
       local.get $15
       f32.load offset=4
       f32x4.replace_lane 1
       local.set $7
      end
      local.get $8
      i32.const 2
      i32.gt_s
      if (result v128)
       local.get $7
       local.get $15
       f32.load offset=8
       f32x4.replace_lane 2
      else
       local.get $7
      end
      local.set $12
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.get $17
      local.get $16
      i32.const 1
      i32.shl
      i32.add
      local.tee $15
      f32.load
      f32x4.replace_lane 0
      local.set $7
      local.get $8
      i32.const 1
      i32.gt_s
      if
       local.get $7
       local.get $15
       f32.load offset=4
       f32x4.replace_lane 1
       local.set $7
      end
      local.get $8
      i32.const 2
      i32.gt_s
      if (result v128)
       local.get $7
       local.get $15
       f32.load offset=8
       f32x4.replace_lane 2
      else
       local.get $7
      end
      local.set $11
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.get $17
      local.get $16
      i32.const 3
      i32.mul
      i32.add
      local.tee $15
      f32.load
      f32x4.replace_lane 0
      local.set $7
      local.get $8
      i32.const 1
      i32.gt_s
      if
       local.get $7
       local.get $15
       f32.load offset=4
       f32x4.replace_lane 1
       local.set $7
      end
      local.get $8
      i32.const 2
      i32.gt_s
      if
       local.get $7
       local.get $15
       f32.load offset=8
       f32x4.replace_lane 2
       local.set $7
      end
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.get $19
      f32.load
      f32x4.replace_lane 0
      local.set $13
      local.get $8
      i32.const 1
      i32.gt_s
      if
       local.get $13
       local.get $19
       f32.load offset=4
       f32x4.replace_lane 1
       local.set $13
      end
      local.get $8
      i32.const 2
      i32.gt_s
      if (result v128)
       local.get $13
       local.get $19
       f32.load offset=8
       f32x4.replace_lane 2
      else
       local.get $13
      end
     end
     local.set $13
     local.get $7
     f32x4.neg
     v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
     f32x4.pmax
     v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
     f32x4.pmin
     local.tee $7
     v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
     f32x4.mul
     f32x4.nearest
     local.set $21
     local.get $12
     f32x4.neg
     v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
     f32x4.pmax
     v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
     f32x4.pmin
     local.tee $12
     v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
     f32x4.mul
     f32x4.nearest
     local.set $22
     local.get $10
     f32x4.abs
     local.tee $23
     local.get $23
     f32x4.mul
     local.set $24
     local.get $23
     v128.const i32x4 0x41200000 0x41200000 0x41200000 0x41200000
     f32x4.pmin
     v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
     f32x4.mul
     v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
     f32x4.pmax
     v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
     f32x4.pmin
     local.tee $25
     v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
     f32x4.mul
     f32x4.nearest
     local.set $26
     local.get $11
     f32x4.neg
     v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
     f32x4.pmax
     v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
     f32x4.pmin
     local.tee $11
     v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
     f32x4.mul
     f32x4.nearest
     local.set $28
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
     local.get $12
     local.get $22
     v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
     f32x4.mul
     f32x4.sub
     local.get $22
     v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
     f32x4.mul
     f32x4.sub
     local.tee $12
     v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
     f32x4.relaxed_madd
     local.get $12
     v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
     f32x4.relaxed_madd
     local.get $12
     v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
     f32x4.relaxed_madd
     local.get $12
     v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
     f32x4.relaxed_madd
     local.get $12
     v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
     f32x4.relaxed_madd
     local.get $12
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.relaxed_madd
     local.get $12
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.relaxed_madd
     local.get $22
     i32x4.trunc_sat_f32x4_s
     v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
     i32x4.add
     i32.const 23
     i32x4.shl
     f32x4.mul
     f32x4.add
     f32x4.div
     local.tee $12
     local.get $23
     local.get $23
     local.get $24
     f32x4.mul
     v128.const i32x4 0xbbbb560c 0xbbbb560c 0xbbbb560c 0xbbbb560c
     local.get $24
     v128.const i32x4 0x3ca92b72 0x3ca92b72 0x3ca92b72 0x3ca92b72
     f32x4.relaxed_madd
     local.get $24
     v128.const i32x4 0xbd5c2227 0xbd5c2227 0xbd5c2227 0xbd5c2227
     f32x4.relaxed_madd
     local.get $24
     v128.const i32x4 0x3e0883b4 0x3e0883b4 0x3e0883b4 0x3e0883b4
     f32x4.relaxed_madd
     local.get $24
     v128.const i32x4 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a
     f32x4.relaxed_madd
     f32x4.mul
     f32x4.add
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
     v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
     local.get $25
     local.get $26
     v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
     f32x4.mul
     f32x4.sub
     local.get $26
     v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
     f32x4.mul
     f32x4.sub
     local.tee $22
     v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
     f32x4.relaxed_madd
     local.get $22
     v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
     f32x4.relaxed_madd
     local.get $22
     v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
     f32x4.relaxed_madd
     local.get $22
     v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
     f32x4.relaxed_madd
     local.get $22
     v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
     f32x4.relaxed_madd
     local.get $22
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.relaxed_madd
     local.get $22
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.relaxed_madd
     local.get $26
     i32x4.trunc_sat_f32x4_s
     v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
     i32x4.add
     i32.const 23
     i32x4.shl
     f32x4.mul
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.add
     f32x4.div
     f32x4.sub
     local.get $23
     v128.const i32x4 0x3f200000 0x3f200000 0x3f200000 0x3f200000
     f32x4.lt
     v128.bitselect
     local.get $10
     v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000
     v128.and
     v128.or
     local.tee $10
     f32x4.mul
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
     local.get $11
     local.get $28
     v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
     f32x4.mul
     f32x4.sub
     local.get $28
     v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
     f32x4.mul
     f32x4.sub
     local.tee $11
     v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
     f32x4.relaxed_madd
     local.get $11
     v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
     f32x4.relaxed_madd
     local.get $11
     v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
     f32x4.relaxed_madd
     local.get $11
     v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
     f32x4.relaxed_madd
     local.get $11
     v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
     f32x4.relaxed_madd
     local.get $11
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.relaxed_madd
     local.get $11
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.relaxed_madd
     local.get $28
     i32x4.trunc_sat_f32x4_s
     v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
     i32x4.add
     i32.const 23
     i32x4.shl
     f32x4.mul
     f32x4.add
     f32x4.div
     local.tee $11
     local.get $13
     f32x4.mul
     f32x4.add
     local.tee $13
     f32x4.abs
     local.tee $22
     local.get $22
     f32x4.mul
     local.set $23
     local.get $22
     v128.const i32x4 0x41200000 0x41200000 0x41200000 0x41200000
     f32x4.pmin
     v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
     f32x4.mul
     v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
     f32x4.pmax
     v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
     f32x4.pmin
     local.tee $24
     v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
     f32x4.mul
     f32x4.nearest
     local.set $25
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
     local.get $7
     local.get $21
     v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
     f32x4.mul
     f32x4.sub
     local.get $21
     v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
     f32x4.mul
     f32x4.sub
     local.tee $7
     v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
     f32x4.relaxed_madd
     local.get $7
     v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
     f32x4.relaxed_madd
     local.get $7
     v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
     f32x4.relaxed_madd
     local.get $7
     v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
     f32x4.relaxed_madd
     local.get $7
     v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
     f32x4.relaxed_madd
     local.get $7
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.relaxed_madd
     local.get $7
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.relaxed_madd
     local.get $21
     i32x4.trunc_sat_f32x4_s
     v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
     i32x4.add
     i32.const 23
     i32x4.shl
     f32x4.mul
     f32x4.add
     f32x4.div
     local.tee $7
     local.get $22
     local.get $22
     local.get $23
     f32x4.mul
     v128.const i32x4 0xbbbb560c 0xbbbb560c 0xbbbb560c 0xbbbb560c
     local.get $23
     v128.const i32x4 0x3ca92b72 0x3ca92b72 0x3ca92b72 0x3ca92b72
     f32x4.relaxed_madd
     local.get $23
     v128.const i32x4 0xbd5c2227 0xbd5c2227 0xbd5c2227 0xbd5c2227
     f32x4.relaxed_madd
     local.get $23
     v128.const i32x4 0x3e0883b4 0x3e0883b4 0x3e0883b4 0x3e0883b4
     f32x4.relaxed_madd
     local.get $23
     v128.const i32x4 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a
     f32x4.relaxed_madd
     f32x4.mul
     f32x4.add
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
     v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
     local.get $24
     local.get $25
     v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
     f32x4.mul
     f32x4.sub
     local.get $25
     v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
     f32x4.mul
     f32x4.sub
     local.tee $21
     v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
     f32x4.relaxed_madd
     local.get $21
     v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
     f32x4.relaxed_madd
     local.get $21
     v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
     f32x4.relaxed_madd
     local.get $21
     v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
     f32x4.relaxed_madd
     local.get $21
     v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
     f32x4.relaxed_madd
     local.get $21
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.relaxed_madd
     local.get $21
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.relaxed_madd
     local.get $25
     i32x4.trunc_sat_f32x4_s
     v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
     i32x4.add
     i32.const 23
     i32x4.shl
     f32x4.mul
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.add
     f32x4.div
     f32x4.sub
     local.get $22
     v128.const i32x4 0x3f200000 0x3f200000 0x3f200000 0x3f200000
     f32x4.lt
     v128.bitselect
     local.get $13
     v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000
     v128.and
     v128.or
     f32x4.mul
     local.set $21
     local.get $8
     i32.const 4
     i32.eq
     if
      local.get $18
      local.get $10
      v128.store
      local.get $16
      local.get $18
      i32.add
      local.get $12
      v128.store
      local.get $18
      local.get $16
      i32.const 1
      i32.shl
      i32.add
      local.get $11
      v128.store
      local.get $18
      local.get $16
      i32.const 3
      i32.mul
      i32.add
      local.get $7
      v128.store
      local.get $20
      local.get $13
      v128.store
      local.get $9
      local.get $21
      v128.store
     else
      local.get $18
      local.get $10
      f32x4.extract_lane 0
      f32.store
      local.get $8
      i32.const 1
      i32.gt_s
      if
       local.get $18
       local.get $10
       f32x4.extract_lane 1
       f32.store offset=4
      end
      local.get $8
      i32.const 2
      i32.gt_s
      if
       local.get $18
       local.get $10
       f32x4.extract_lane 2
       f32.store offset=8
      end
      local.get $16
      local.get $18
      i32.add
      local.tee $15
      local.get $12
      f32x4.extract_lane 0
      f32.store
      local.get $8
      i32.const 1
      i32.gt_s
      if
       local.get $15
       local.get $12
       f32x4.extract_lane 1
       f32.store offset=4
      end
      local.get $8
      i32.const 2
      i32.gt_s
      if
       local.get $15
       local.get $12
       f32x4.extract_lane 2
       f32.store offset=8
      end
      local.get $18
      local.get $16
      i32.const 1
      i32.shl
      i32.add
      local.tee $15
      local.get $11
      f32x4.extract_lane 0
      f32.store
      local.get $8
      i32.const 1
      i32.gt_s
      if
       local.get $15
       local.get $11
       f32x4.extract_lane 1
       f32.store offset=4
      end
      local.get $8
      i32.const 2
      i32.gt_s
      if
       local.get $15
       local.get $11
       f32x4.extract_lane 2
       f32.store offset=8
      end
      local.get $18
      local.get $16
      i32.const 3
      i32.mul
      i32.add
      local.tee $15
      local.get $7
      f32x4.extract_lane 0
      f32.store
      local.get $8
      i32.const 1
      i32.gt_s
      if
       local.get $15
       local.get $7
       f32x4.extract_lane 1
       f32.store offset=4
      end
      local.get $8
      i32.const 2
      i32.gt_s
      if
       local.get $15
       local.get $7
       f32x4.extract_lane 2
       f32.store offset=8
      end
      local.get $20
      local.get $13
      f32x4.extract_lane 0
      f32.store
      local.get $8
      i32.const 1
      i32.gt_s
      if
       local.get $20
       local.get $13
       f32x4.extract_lane 1
       f32.store offset=4
      end
      local.get $8
      i32.const 2
      i32.gt_s
      if
       local.get $20
       local.get $13
       f32x4.extract_lane 2
       f32.store offset=8
      end
      local.get $9
      local.get $21
      f32x4.extract_lane 0
      f32.store
      local.get $8
      i32.const 1
      i32.gt_s
      if
       local.get $9
       local.get $21
       f32x4.extract_lane 1
       f32.store offset=4
      end
      local.get $8
      i32.const 2
      i32.gt_s
      if
       local.get $9
       local.get $21
       f32x4.extract_lane 2
       f32.store offset=8
      end
     end
    end
    local.get $14
    i32.const 1
    i32.add
    local.set $14
    br $for-loop|0
   end
  end
 )
 (func $asm/kernels/lstmBackward (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32) (param $7 i32) (param $8 i32)
  (local $9 v128)
  (local $10 i32)
  (local $11 i32)
  (local $12 v128)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 v128)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 i32)
  (local $21 i32)
  (local $22 i32)
  (local $23 v128)
  (local $24 i32)
  (local $25 i32)
  (local $26 i32)
  (local $27 i32)
  (local $28 i32)
  (local $29 i32)
  (local $30 v128)
  (local $31 v128)
  local.get $1
  i32.const 2
  i32.shl
  local.set $26
  loop $for-loop|0
   local.get $0
   local.get $24
   i32.gt_s
   if
    local.get $1
    local.get $24
    i32.mul
    local.tee $10
    i32.const 4
    i32.shl
    local.set $22
    local.get $10
    i32.const 2
    i32.shl
    local.set $21
    i32.const 0
    local.set $10
    loop $for-loop|1
     local.get $10
     i32.const 4
     i32.add
     local.tee $11
     local.get $1
     i32.le_s
     if
      local.get $26
      i32.const 1
      i32.shl
      local.tee $20
      local.get $10
      i32.const 2
      i32.shl
      local.tee $10
      local.get $2
      local.get $22
      i32.add
      i32.add
      local.tee $25
      i32.add
      v128.load
      local.set $9
      local.get $3
      local.get $21
      i32.add
      local.get $10
      i32.add
      v128.load
      local.set $12
      local.get $4
      local.get $21
      i32.add
      local.get $10
      i32.add
      v128.load
      local.tee $13
      f32x4.abs
      local.tee $14
      local.get $14
      f32x4.mul
      local.set $15
      local.get $14
      v128.const i32x4 0x41200000 0x41200000 0x41200000 0x41200000
      f32x4.pmin
      v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
      f32x4.mul
      v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
      f32x4.pmax
      v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
      f32x4.pmin
      local.tee $16
      v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
      f32x4.mul
      f32x4.nearest
      local.set $17
      local.get $7
      local.get $22
      i32.add
      local.get $10
      i32.add
      local.tee $27
      local.get $6
      local.get $21
      i32.add
      local.get $10
      i32.add
      v128.load
      local.get $5
      local.get $21
      i32.add
      local.get $10
      i32.add
      v128.load
      local.tee $18
      local.get $25
      local.get $26
      i32.const 3
      i32.mul
      local.tee $28
      i32.add
      v128.load
      local.tee $19
      f32x4.mul
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      local.get $14
      local.get $14
      local.get $15
      f32x4.mul
      v128.const i32x4 0xbbbb560c 0xbbbb560c 0xbbbb560c 0xbbbb560c
      local.get $15
      v128.const i32x4 0x3ca92b72 0x3ca92b72 0x3ca92b72 0x3ca92b72
      f32x4.relaxed_madd
      local.get $15
      v128.const i32x4 0xbd5c2227 0xbd5c2227 0xbd5c2227 0xbd5c2227
      f32x4.relaxed_madd
      local.get $15
      v128.const i32x4 0x3e0883b4 0x3e0883b4 0x3e0883b4 0x3e0883b4
      f32x4.relaxed_madd
      local.get $15
      v128.const i32x4 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a
      f32x4.relaxed_madd
      f32x4.mul
      f32x4.add
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
      v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
      local.get $16
      local.get $17
      v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
      f32x4.mul
      f32x4.sub
      local.get $17
      v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
      f32x4.mul
      f32x4.sub
      local.tee $15
      v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
      f32x4.relaxed_madd
      local.get $15
      v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
      f32x4.relaxed_madd
      local.get $15
      v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
      f32x4.relaxed_madd
      local.get $15
      v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
      f32x4.relaxed_madd
      local.get $15
      v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
      f32x4.relaxed_madd
      local.get $15
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.relaxed_madd
      local.get $15
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.relaxed_madd
      local.get $17
      i32x4.trunc_sat_f32x4_s
      v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
      i32x4.add
      i32.const 23
      i32x4.shl
      f32x4.mul
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.add
      f32x4.div
      f32x4.sub
      local.get $14
      v128.const i32x4 0x3f200000 0x3f200000 0x3f200000 0x3f200000
      f32x4.lt
      v128.bitselect
      local.get $13
      v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000
      v128.and
      v128.or
      local.tee $13
      local.get $13
      f32x4.mul
      f32x4.sub
      f32x4.mul
      f32x4.add
      local.tee $14
      local.get $25
      local.get $26
      i32.add
      v128.load
      local.tee $15
      f32x4.mul
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      local.get $25
      v128.load
      local.tee $16
      local.get $16
      f32x4.mul
      f32x4.sub
      f32x4.mul
      v128.store
      local.get $26
      local.get $27
      i32.add
      local.get $14
      local.get $16
      f32x4.mul
      local.get $15
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      local.get $15
      f32x4.sub
      f32x4.mul
      f32x4.mul
      v128.store
      local.get $20
      local.get $27
      i32.add
      local.get $14
      local.get $12
      f32x4.mul
      local.get $9
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      local.get $9
      f32x4.sub
      f32x4.mul
      f32x4.mul
      v128.store
      local.get $27
      local.get $28
      i32.add
      local.get $18
      local.get $13
      f32x4.mul
      local.get $19
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      local.get $19
      f32x4.sub
      f32x4.mul
      f32x4.mul
      v128.store
      local.get $8
      local.get $21
      i32.add
      local.get $10
      i32.add
      local.get $14
      local.get $9
      f32x4.mul
      v128.store
      local.get $11
      local.set $10
      br $for-loop|1
     end
    end
    local.get $1
    local.get $10
    i32.gt_s
    if
     local.get $10
     i32.const 2
     i32.shl
     local.tee $27
     local.get $2
     local.get $22
     i32.add
     i32.add
     local.set $20
     local.get $3
     local.get $21
     i32.add
     local.get $27
     i32.add
     local.set $11
     local.get $4
     local.get $21
     i32.add
     local.get $27
     i32.add
     local.set $28
     local.get $5
     local.get $21
     i32.add
     local.get $27
     i32.add
     local.set $29
     local.get $6
     local.get $21
     i32.add
     local.get $27
     i32.add
     local.set $25
     local.get $7
     local.get $22
     i32.add
     local.get $27
     i32.add
     local.set $22
     local.get $8
     local.get $21
     i32.add
     local.get $27
     i32.add
     local.set $21
     local.get $1
     local.get $10
     i32.sub
     local.tee $10
     i32.const 4
     i32.eq
     if (result v128)
      local.get $20
      v128.load
      local.set $14
      local.get $20
      local.get $26
      i32.add
      v128.load
      local.set $15
      local.get $20
      local.get $26
      i32.const 1
      i32.shl
      i32.add
      v128.load
      local.set $13
      local.get $20
      local.get $26
      i32.const 3
      i32.mul
      i32.add
      v128.load
      local.set $16
      local.get $11
      v128.load
      local.set $12
      local.get $28
      v128.load
      local.set $17
      local.get $29
      v128.load
      local.set $9
      local.get $25
      v128.load
     else
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.get $20
      f32.load
      f32x4.replace_lane 0
      local.set $9
      local.get $10
      i32.const 1
      i32.gt_s
      if
       local.get $9
       local.get $20
       f32.load offset=4
       f32x4.replace_lane 1
       local.set $9
      end
      local.get $10
      i32.const 2
      i32.gt_s
      if (result v128)
       local.get $9
       local.get $20
       f32.load offset=8
       f32x4.replace_lane 2
      else
       local.get $9
      end
      local.set $14
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.get $20
      local.get $26
      i32.add
      local.tee $27
      f32.load
      f32x4.replace_lane 0
      local.set $9
      local.get $10
      i32.const 1
      i32.gt_s
      if
       local.get $9
       local.get $27
       f32.load offset=4
       f32x4.replace_lane 1
       local.set $9
      end
      local.get $10
      i32.const 2
      i32.gt_s
      if (result v128)
       local.get $9
       local.get $27
       f32.load offset=8
       f32x4.replace_lane 2
      else
       local.get $9
      end
      local.set $15
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.get $20
      local.get $26
      i32.const 1
      i32.shl
      i32.add
      local.tee $27
      f32.load
      f32x4.replace_lane 0
      local.set $9
      local.get $10
      i32.const 1
      i32.gt_s
      if
       local.get $9
       local.get $27
       f32.load offset=4
       f32x4.replace_lane 1
       local.set $9
      end
      local.get $10
      i32.const 2
      i32.gt_s
      if (result v128)
       local.get $9
       local.get $27
       f32.load offset=8
       f32x4.replace_lane 2
      else
       local.get $9
      end
      local.set $13
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.get $20
      local.get $26
      i32.const 3
      i32.mul
      i32.add
      local.tee $20
      f32.load
      f32x4.replace_lane 0
      local.set $9
      local.get $10
      i32.const 1
      i32.gt_s
      if
       local.get $9
       local.get $20
       f32.load offset=4
       f32x4.replace_lane 1
       local.set $9
      end
      local.get $10
      i32.const 2
      i32.gt_s
      if (result v128)
       local.get $9
       local.get $20
       f32.load offset=8
       f32x4.replace_lane 2
      else
       local.get $9
      end
      local.set $16
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.get $11
      f32.load
      f32x4.replace_lane 0
      local.set $9
      local.get $10
      i32.const 1
      i32.gt_s
      if
       local.get $9
       local.get $11
       f32.load offset=4
       f32x4.replace_lane 1
       local.set $9
      end
      local.get $10
      i32.const 2
      i32.gt_s
      if (result v128)
       local.get $9
       local.get $11
       f32.load offset=8
       f32x4.replace_lane 2
      else
       local.get $9
      end
      local.set $12
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.get $28
      f32.load
      f32x4.replace_lane 0
      local.set $9
      local.get $10
      i32.const 1
      i32.gt_s
      if
       local.get $9
       local.get $28
       f32.load offset=4
       f32x4.replace_lane 1
       local.set $9
      end
      local.get $10
      i32.const 2
      i32.gt_s
      if (result v128)
       local.get $9
       local.get $28
       f32.load offset=8
       f32x4.replace_lane 2
      else
       local.get $9
      end
      local.set $17
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.get $29
      f32.load
      f32x4.replace_lane 0
      local.set $9
      local.get $10
      i32.const 1
      i32.gt_s
      if
       local.get $9
       local.get $29
       f32.load offset=4
       f32x4.replace_lane 1
       local.set $9
      end
      local.get $10
      i32.const 2
      i32.gt_s
      if
       local.get $9
       local.get $29
       f32.load offset=8
       f32x4.replace_lane 2
       local.set $9
      end
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.get $25
      f32.load
      f32x4.replace_lane 0
      local.set $18
      local.get $10
      i32.const 1
      i32.gt_s
      if
       local.get $18
       local.get $25
       f32.load offset=4
       f32x4.replace_lane 1
       local.set $18
      end
      local.get $10
      i32.const 2
      i32.gt_s
      if (result v128)
       local.get $18
       local.get $25
       f32.load offset=8
       f32x4.replace_lane 2
      else
       local.get $18
      end
     end
     local.get $17
     f32x4.abs
     local.tee $18
     local.get $18
     f32x4.mul
     local.set $30
     local.get $18
     v128.const i32x4 0x41200000 0x41200000 0x41200000 0x41200000
     f32x4.pmin
     v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
     f32x4.mul
     v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
     f32x4.pmax
     v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
     f32x4.pmin
     local.tee $31
     v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
     f32x4.mul
     f32x4.nearest
     local.set $23
     local.get $9
     local.get $16
     f32x4.mul
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     local.get $18
     local.get $18
     local.get $30
     f32x4.mul
     v128.const i32x4 0xbbbb560c 0xbbbb560c 0xbbbb560c 0xbbbb560c
     local.get $30
     v128.const i32x4 0x3ca92b72 0x3ca92b72 0x3ca92b72 0x3ca92b72
     f32x4.relaxed_madd
     local.get $30
     v128.const i32x4 0xbd5c2227 0xbd5c2227 0xbd5c2227 0xbd5c2227
     f32x4.relaxed_madd
     local.get $30
     v128.const i32x4 0x3e0883b4 0x3e0883b4 0x3e0883b4 0x3e0883b4
     f32x4.relaxed_madd
     local.get $30
     v128.const i32x4 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a
     f32x4.relaxed_madd
     f32x4.mul
     f32x4.add
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
     v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
     local.get $31
     local.get $23
     v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
     f32x4.mul
     f32x4.sub
     local.get $23
     v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
     f32x4.mul
     f32x4.sub
     local.tee $19
     v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
     f32x4.relaxed_madd
     local.get $19
     v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
     f32x4.relaxed_madd
     local.get $19
     v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
     f32x4.relaxed_madd
     local.get $19
     v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
     f32x4.relaxed_madd
     local.get $19
     v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
     f32x4.relaxed_madd
     local.get $19
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.relaxed_madd
     local.get $19
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.relaxed_madd
     local.get $23
     i32x4.trunc_sat_f32x4_s
     v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
     i32x4.add
     i32.const 23
     i32x4.shl
     f32x4.mul
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     f32x4.add
     f32x4.div
     f32x4.sub
     local.get $18
     v128.const i32x4 0x3f200000 0x3f200000 0x3f200000 0x3f200000
     f32x4.lt
     v128.bitselect
     local.get $17
     v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000
     v128.and
     v128.or
     local.tee $17
     local.get $17
     f32x4.mul
     f32x4.sub
     f32x4.mul
     f32x4.add
     local.tee $18
     local.get $15
     f32x4.mul
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     local.get $14
     local.get $14
     f32x4.mul
     f32x4.sub
     f32x4.mul
     local.set $19
     local.get $18
     local.get $14
     f32x4.mul
     local.get $15
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     local.get $15
     f32x4.sub
     f32x4.mul
     f32x4.mul
     local.set $14
     local.get $18
     local.get $12
     f32x4.mul
     local.get $13
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     local.get $13
     f32x4.sub
     f32x4.mul
     f32x4.mul
     local.set $12
     local.get $9
     local.get $17
     f32x4.mul
     local.get $16
     v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
     local.get $16
     f32x4.sub
     f32x4.mul
     f32x4.mul
     local.set $9
     local.get $18
     local.get $13
     f32x4.mul
     local.set $13
     local.get $10
     i32.const 4
     i32.eq
     if
      local.get $22
      local.get $19
      v128.store
      local.get $22
      local.get $26
      i32.add
      local.get $14
      v128.store
      local.get $22
      local.get $26
      i32.const 1
      i32.shl
      i32.add
      local.get $12
      v128.store
      local.get $22
      local.get $26
      i32.const 3
      i32.mul
      i32.add
      local.get $9
      v128.store
      local.get $21
      local.get $13
      v128.store
     else
      local.get $22
      local.get $19
      f32x4.extract_lane 0
      f32.store
      local.get $10
      i32.const 1
      i32.gt_s
      if
       local.get $22
       local.get $19
       f32x4.extract_lane 1
       f32.store offset=4
      end
      local.get $10
      i32.const 2
      i32.gt_s
      if
       local.get $22
       local.get $19
       f32x4.extract_lane 2
       f32.store offset=8
      end
      local.get $22
      local.get $26
      i32.add
      local.tee $11
      local.get $14
      f32x4.extract_lane 0
      f32.store
      local.get $10
      i32.const 1
      i32.gt_s
      if
       local.get $11
       local.get $14
       f32x4.extract_lane 1
       f32.store offset=4
      end
      local.get $10
      i32.const 2
      i32.gt_s
      if
       local.get $11
       local.get $14
       f32x4.extract_lane 2
       f32.store offset=8
      end
      local.get $22
      local.get $26
      i32.const 1
      i32.shl
      i32.add
      local.tee $11
      local.get $12
      f32x4.extract_lane 0
      f32.store
      local.get $10
      i32.const 1
      i32.gt_s
      if
       local.get $11
       local.get $12
       f32x4.extract_lane 1
       f32.store offset=4
      end
      local.get $10
      i32.const 2
      i32.gt_s
      if
       local.get $11
       local.get $12
       f32x4.extract_lane 2
       f32.store offset=8
      end
      local.get $22
      local.get $26
      i32.const 3
      i32.mul
      i32.add
      local.tee $11
      local.get $9
      f32x4.extract_lane 0
      f32.store
      local.get $10
      i32.const 1
      i32.gt_s
      if
       local.get $11
       local.get $9
       f32x4.extract_lane 1
       f32.store offset=4
      end
      local.get $10
      i32.const 2
      i32.gt_s
      if
       local.get $11
       local.get $9
       f32x4.extract_lane 2
       f32.store offset=8
      end
      local.get $21
      local.get $13
      f32x4.extract_lane 0
      f32.store
      local.get $10
      i32.const 1
      i32.gt_s
      if
       local.get $21
       local.get $13
       f32x4.extract_lane 1
       f32.store offset=4
      end
      local.get $10
      i32.const 2
      i32.gt_s
      if
       local.get $21
       local.get $13
       f32x4.extract_lane 2
       f32.store offset=8
      end
     end
    end
    local.get $24
    i32.const 1
    i32.add
    local.set $24
    br $for-loop|0
   end
  end
 )
 (func $asm/kernels/adamUpdate (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 f32) (param $6 f32) (param $7 f32) (param $8 f32) (param $9 f32) (param $10 f32) (param $11 f32) (param $12 f32) (param $13 f32)
  (local $14 i32)
  (local $15 i32)
  (local $16 v128)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  (local $22 v128)
  (local $23 v128)
  (local $24 v128)
  (local $25 f32)
  (local $26 v128)
  (local $27 v128)
  (local $28 i32)
  (local $29 i32)
  (local $30 f32)
  local.get $6
  f32x4.splat
  local.set $24
  local.get $7
  f32x4.splat
  local.set $23
  local.get $8
  f32x4.splat
  local.set $22
  local.get $9
  f32x4.splat
  local.set $21
  local.get $5
  f32x4.splat
  local.set $20
  local.get $10
  f32x4.splat
  local.set $19
  local.get $11
  f32x4.splat
  local.set $18
  local.get $12
  f32x4.splat
  local.set $17
  local.get $13
  f32x4.splat
  local.set $16
  loop $for-loop|0
   local.get $14
   i32.const 4
   i32.add
   local.tee $15
   local.get $4
   i32.le_s
   if
    local.get $14
    i32.const 2
    i32.shl
    local.tee $14
    local.get $1
    i32.add
    v128.load
    local.set $27
    local.get $24
    local.get $2
    local.get $14
    i32.add
    local.tee $28
    v128.load
    f32x4.mul
    local.get $22
    local.get $27
    f32x4.mul
    f32x4.add
    local.set $26
    local.get $23
    local.get $3
    local.get $14
    i32.add
    local.tee $29
    v128.load
    f32x4.mul
    local.get $21
    local.get $27
    f32x4.mul
    local.get $27
    f32x4.mul
    f32x4.add
    local.set $27
    local.get $28
    local.get $26
    v128.store
    local.get $29
    local.get $27
    v128.store
    local.get $0
    local.get $14
    i32.add
    local.tee $14
    local.get $14
    v128.load
    local.get $16
    f32x4.mul
    local.get $20
    local.get $26
    local.get $18
    f32x4.div
    f32x4.mul
    local.get $27
    local.get $17
    f32x4.div
    f32x4.sqrt
    local.get $19
    f32x4.add
    f32x4.div
    f32x4.sub
    v128.store
    local.get $15
    local.set $14
    br $for-loop|0
   end
  end
  loop $for-loop|1
   local.get $4
   local.get $14
   i32.gt_s
   if
    local.get $14
    i32.const 2
    i32.shl
    local.tee $15
    local.get $1
    i32.add
    f32.load
    local.set $30
    local.get $6
    local.get $2
    local.get $15
    i32.add
    local.tee $28
    f32.load
    f32.mul
    local.get $8
    local.get $30
    f32.mul
    f32.add
    local.set $25
    local.get $7
    local.get $3
    local.get $15
    i32.add
    local.tee $29
    f32.load
    f32.mul
    local.get $9
    local.get $30
    f32.mul
    local.get $30
    f32.mul
    f32.add
    local.set $30
    local.get $28
    local.get $25
    f32.store
    local.get $29
    local.get $30
    f32.store
    local.get $0
    local.get $15
    i32.add
    local.tee $15
    local.get $15
    f32.load
    local.get $13
    f32.mul
    local.get $5
    local.get $25
    local.get $11
    f32.div
    f32.mul
    local.get $30
    local.get $12
    f32.div
    f32.sqrt
    local.get $10
    f32.add
    f32.div
    f32.sub
    f32.store
    local.get $14
    i32.const 1
    i32.add
    local.set $14
    br $for-loop|1
   end
  end
 )
 (func $asm/kernels/zeroRows (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32)
  (local $4 i32)
  local.get $3
  i32.const 2
  i32.shl
  local.set $3
  loop $for-loop|0
   local.get $2
   local.get $4
   i32.gt_s
   if
    local.get $0
    local.get $1
    local.get $4
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.get $3
    i32.mul
    i32.add
    i32.const 0
    local.get $3
    memory.fill
    local.get $4
    i32.const 1
    i32.add
    local.set $4
    br $for-loop|0
   end
  end
 )
 (func $asm/kernels/tanh (param $0 i32) (param $1 i32) (param $2 i32)
  (local $3 v128)
  (local $4 i32)
  (local $5 i32)
  (local $6 v128)
  (local $7 v128)
  (local $8 v128)
  (local $9 v128)
  loop $for-loop|0
   local.get $4
   i32.const 4
   i32.add
   local.tee $5
   local.get $2
   i32.le_s
   if
    local.get $4
    i32.const 2
    i32.shl
    local.tee $4
    local.get $0
    i32.add
    v128.load
    local.tee $3
    f32x4.abs
    local.tee $6
    local.get $6
    f32x4.mul
    local.set $7
    local.get $6
    v128.const i32x4 0x41200000 0x41200000 0x41200000 0x41200000
    f32x4.pmin
    v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
    f32x4.mul
    v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
    f32x4.pmax
    v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
    f32x4.pmin
    local.tee $8
    v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
    f32x4.mul
    f32x4.nearest
    local.set $9
    local.get $1
    local.get $4
    i32.add
    local.get $6
    local.get $6
    local.get $7
    f32x4.mul
    v128.const i32x4 0xbbbb560c 0xbbbb560c 0xbbbb560c 0xbbbb560c
    local.get $7
    v128.const i32x4 0x3ca92b72 0x3ca92b72 0x3ca92b72 0x3ca92b72
    f32x4.relaxed_madd
    local.get $7
    v128.const i32x4 0xbd5c2227 0xbd5c2227 0xbd5c2227 0xbd5c2227
    f32x4.relaxed_madd
    local.get $7
    v128.const i32x4 0x3e0883b4 0x3e0883b4 0x3e0883b4 0x3e0883b4
    f32x4.relaxed_madd
    local.get $7
    v128.const i32x4 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a
    f32x4.relaxed_madd
    f32x4.mul
    f32x4.add
    v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
    v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
    v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
    local.get $8
    local.get $9
    v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
    f32x4.mul
    f32x4.sub
    local.get $9
    v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
    f32x4.mul
    f32x4.sub
    local.tee $7
    v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
    f32x4.relaxed_madd
    local.get $7
    v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
    f32x4.relaxed_madd
    local.get $7
    v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
    f32x4.relaxed_madd
    local.get $7
    v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
    f32x4.relaxed_madd
    local.get $7
    v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
    f32x4.relaxed_madd
    local.get $7
    v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
    f32x4.relaxed_madd
    local.get $7
    v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
    f32x4.relaxed_madd
    local.get $9
    i32x4.trunc_sat_f32x4_s
    v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
    i32x4.add
    i32.const 23
    i32x4.shl
    f32x4.mul
    v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
    f32x4.add
    f32x4.div
    f32x4.sub
    local.get $6
    v128.const i32x4 0x3f200000 0x3f200000 0x3f200000 0x3f200000
    f32x4.lt
    v128.bitselect
    local.get $3
    v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000
    v128.and
    v128.or
    v128.store
    local.get $5
    local.set $4
    br $for-loop|0
   end
  end
  local.get $2
  local.get $4
  i32.gt_s
  if
   local.get $4
   i32.const 2
   i32.shl
   local.tee $5
   local.get $1
   i32.add
   local.set $1
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
   local.get $0
   local.get $5
   i32.add
   local.tee $0
   f32.load
   f32x4.replace_lane 0
   local.set $3
   local.get $2
   local.get $4
   i32.sub
   local.tee $5
   i32.const 1
   i32.gt_s
   if
    local.get $3
    local.get $0
    f32.load offset=4
    f32x4.replace_lane 1
    local.set $3
   end
   local.get $5
   i32.const 2
   i32.gt_s
   if
    local.get $3
    local.get $0
    f32.load offset=8
    f32x4.replace_lane 2
    local.set $3
   end
   local.get $3
   f32x4.abs
   local.tee $6
   local.get $6
   f32x4.mul
   local.set $7
   local.get $6
   v128.const i32x4 0x41200000 0x41200000 0x41200000 0x41200000
   f32x4.pmin
   v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
   f32x4.mul
   v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
   f32x4.pmax
   v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
   f32x4.pmin
   local.tee $8
   v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
   f32x4.mul
   f32x4.nearest
   local.set $9
   local.get $1
   local.get $6
   local.get $6
   local.get $7
   f32x4.mul
   v128.const i32x4 0xbbbb560c 0xbbbb560c 0xbbbb560c 0xbbbb560c
   local.get $7
   v128.const i32x4 0x3ca92b72 0x3ca92b72 0x3ca92b72 0x3ca92b72
   f32x4.relaxed_madd
   local.get $7
   v128.const i32x4 0xbd5c2227 0xbd5c2227 0xbd5c2227 0xbd5c2227
   f32x4.relaxed_madd
   local.get $7
   v128.const i32x4 0x3e0883b4 0x3e0883b4 0x3e0883b4 0x3e0883b4
   f32x4.relaxed_madd
   local.get $7
   v128.const i32x4 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a 0xbeaaaa9a
   f32x4.relaxed_madd
   f32x4.mul
   f32x4.add
   v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
   v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
   v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
   local.get $8
   local.get $9
   v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
   f32x4.mul
   f32x4.sub
   local.get $9
   v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
   f32x4.mul
   f32x4.sub
   local.tee $7
   v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
   f32x4.relaxed_madd
   local.get $7
   v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
   f32x4.relaxed_madd
   local.get $7
   v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
   f32x4.relaxed_madd
   local.get $7
   v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
   f32x4.relaxed_madd
   local.get $7
   v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
   f32x4.relaxed_madd
   local.get $7
   v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
   f32x4.relaxed_madd
   local.get $7
   v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
   f32x4.relaxed_madd
   local.get $9
   i32x4.trunc_sat_f32x4_s
   v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
   i32x4.add
   i32.const 23
   i32x4.shl
   f32x4.mul
   v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
   f32x4.add
   f32x4.div
   f32x4.sub
   local.get $6
   v128.const i32x4 0x3f200000 0x3f200000 0x3f200000 0x3f200000
   f32x4.lt
   v128.bitselect
   local.get $3
   v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000
   v128.and
   v128.or
   local.tee $3
   f32x4.extract_lane 0
   f32.store
   local.get $2
   local.get $4
   i32.sub
   local.tee $0
   i32.const 1
   i32.gt_s
   if
    local.get $1
    local.get $3
    f32x4.extract_lane 1
    f32.store offset=4
   end
   local.get $0
   i32.const 2
   i32.gt_s
   if
    local.get $1
    local.get $3
    f32x4.extract_lane 2
    f32.store offset=8
   end
  end
 )
 (func $asm/kernels/sumSquaresRows (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (result f64)
  (local $4 i32)
  (local $5 f64)
  (local $6 i32)
  local.get $3
  i32.const 2
  i32.shl
  local.set $6
  loop $for-loop|0
   local.get $2
   local.get $4
   i32.gt_s
   if
    local.get $5
    local.get $0
    local.get $1
    local.get $4
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.get $6
    i32.mul
    i32.add
    local.get $3
    call $asm/kernels/sumSquares
    f64.add
    local.set $5
    local.get $4
    i32.const 1
    i32.add
    local.set $4
    br $for-loop|0
   end
  end
  local.get $5
 )
 (func $asm/kernels/sumRows (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 v128)
  (local $7 f32)
  (local $8 i32)
  loop $for-loop|0
   local.get $5
   i32.const 4
   i32.add
   local.get $2
   i32.le_s
   if
    local.get $5
    i32.const 2
    i32.shl
    local.tee $8
    local.get $3
    i32.add
    v128.load
    local.set $6
    i32.const 0
    local.set $4
    loop $for-loop|1
     local.get $1
     local.get $4
     i32.gt_s
     if
      local.get $6
      local.get $0
      local.get $2
      local.get $4
      i32.mul
      i32.const 2
      i32.shl
      i32.add
      local.get $8
      i32.add
      v128.load
      f32x4.add
      local.set $6
      local.get $4
      i32.const 1
      i32.add
      local.set $4
      br $for-loop|1
     end
    end
    local.get $3
    local.get $8
    i32.add
    local.get $6
    v128.store
    local.get $5
    i32.const 4
    i32.add
    local.set $5
    br $for-loop|0
   end
  end
  loop $for-loop|2
   local.get $2
   local.get $5
   i32.gt_s
   if
    local.get $5
    i32.const 2
    i32.shl
    local.tee $8
    local.get $3
    i32.add
    f32.load
    local.set $7
    i32.const 0
    local.set $4
    loop $for-loop|3
     local.get $1
     local.get $4
     i32.gt_s
     if
      local.get $7
      local.get $0
      local.get $2
      local.get $4
      i32.mul
      i32.const 2
      i32.shl
      i32.add
      local.get $8
      i32.add
      f32.load
      f32.add
      local.set $7
      local.get $4
      i32.const 1
      i32.add
      local.set $4
      br $for-loop|3
     end
    end
    local.get $3
    local.get $8
    i32.add
    local.get $7
    f32.store
    local.get $5
    i32.const 1
    i32.add
    local.set $5
    br $for-loop|2
   end
  end
 )
 (func $asm/kernels/sigmoid (param $0 i32) (param $1 i32) (param $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 v128)
  (local $6 v128)
  (local $7 i32)
  loop $for-loop|0
   local.get $4
   i32.const 4
   i32.add
   local.tee $3
   local.get $2
   i32.le_s
   if
    local.get $4
    i32.const 2
    i32.shl
    local.tee $4
    local.get $0
    i32.add
    v128.load
    f32x4.neg
    v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
    f32x4.pmax
    v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
    f32x4.pmin
    local.tee $5
    v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
    f32x4.mul
    f32x4.nearest
    local.set $6
    local.get $1
    local.get $4
    i32.add
    v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
    v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
    v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
    local.get $5
    local.get $6
    v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
    f32x4.mul
    f32x4.sub
    local.get $6
    v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
    f32x4.mul
    f32x4.sub
    local.tee $5
    v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
    f32x4.relaxed_madd
    local.get $5
    v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
    f32x4.relaxed_madd
    local.get $5
    v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
    f32x4.relaxed_madd
    local.get $5
    v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
    f32x4.relaxed_madd
    local.get $5
    v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
    f32x4.relaxed_madd
    local.get $5
    v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
    f32x4.relaxed_madd
    local.get $5
    v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
    f32x4.relaxed_madd
    local.get $6
    i32x4.trunc_sat_f32x4_s
    v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
    i32x4.add
    i32.const 23
    i32x4.shl
    f32x4.mul
    f32x4.add
    f32x4.div
    v128.store
    local.get $3
    local.set $4
    br $for-loop|0
   end
  end
  local.get $2
  local.get $4
  i32.gt_s
  if
   local.get $4
   i32.const 2
   i32.shl
   local.tee $7
   local.get $1
   i32.add
   local.set $3
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
   local.get $0
   local.get $7
   i32.add
   local.tee $1
   f32.load
   f32x4.replace_lane 0
   local.set $5
   local.get $2
   local.get $4
   i32.sub
   local.tee $0
   i32.const 1
   i32.gt_s
   if
    local.get $5
    local.get $1
    f32.load offset=4
    f32x4.replace_lane 1
    local.set $5
   end
   local.get $0
   i32.const 2
   i32.gt_s
   if (result v128)
    local.get $5
    local.get $1
    f32.load offset=8
    f32x4.replace_lane 2
   else
    local.get $5
   end
   f32x4.neg
   v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
   f32x4.pmax
   v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
   f32x4.pmin
   local.tee $5
   v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
   f32x4.mul
   f32x4.nearest
   local.set $6
   local.get $3
   v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
   v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
   v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01
   local.get $5
   local.get $6
   v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
   f32x4.mul
   f32x4.sub
   local.get $6
   v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
   f32x4.mul
   f32x4.sub
   local.tee $5
   v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61
   f32x4.relaxed_madd
   local.get $5
   v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889
   f32x4.relaxed_madd
   local.get $5
   v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab
   f32x4.relaxed_madd
   local.get $5
   v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab
   f32x4.relaxed_madd
   local.get $5
   v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
   f32x4.relaxed_madd
   local.get $5
   v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
   f32x4.relaxed_madd
   local.get $5
   v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
   f32x4.relaxed_madd
   local.get $6
   i32x4.trunc_sat_f32x4_s
   v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
   i32x4.add
   i32.const 23
   i32x4.shl
   f32x4.mul
   f32x4.add
   f32x4.div
   local.tee $5
   f32x4.extract_lane 0
   f32.store
   local.get $2
   local.get $4
   i32.sub
   local.tee $0
   i32.const 1
   i32.gt_s
   if
    local.get $3
    local.get $5
    f32x4.extract_lane 1
    f32.store offset=4
   end
   local.get $0
   i32.const 2
   i32.gt_s
   if
    local.get $3
    local.get $5
    f32x4.extract_lane 2
    f32.store offset=8
   end
  end
 )
 (func $asm/kernels/scatterAddRows (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  local.get $4
  i32.const 2
  i32.shl
  local.set $10
  loop $for-loop|0
   local.get $3
   local.get $11
   i32.gt_s
   if
    local.get $5
    local.get $2
    local.get $11
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.tee $6
    i32.ne
    if
     local.get $0
     local.get $6
     local.get $10
     i32.mul
     i32.add
     local.set $9
     local.get $1
     local.get $10
     local.get $11
     i32.mul
     i32.add
     local.set $8
     i32.const 0
     local.set $6
     loop $for-loop|00
      local.get $6
      i32.const 4
      i32.add
      local.tee $7
      local.get $4
      i32.le_s
      if
       local.get $6
       i32.const 2
       i32.shl
       local.tee $6
       local.get $9
       i32.add
       local.tee $12
       local.get $12
       v128.load
       local.get $6
       local.get $8
       i32.add
       v128.load
       f32x4.add
       v128.store
       local.get $7
       local.set $6
       br $for-loop|00
      end
     end
     loop $for-loop|1
      local.get $4
      local.get $6
      i32.gt_s
      if
       local.get $6
       i32.const 2
       i32.shl
       local.tee $7
       local.get $9
       i32.add
       local.tee $12
       local.get $12
       f32.load
       local.get $7
       local.get $8
       i32.add
       f32.load
       f32.add
       f32.store
       local.get $6
       i32.const 1
       i32.add
       local.set $6
       br $for-loop|1
      end
     end
    end
    local.get $11
    i32.const 1
    i32.add
    local.set $11
    br $for-loop|0
   end
  end
 )
 (func $asm/kernels/scaleRows (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 f32)
  (local $5 i32)
  (local $6 i32)
  (local $7 v128)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  local.get $3
  i32.const 2
  i32.shl
  local.set $8
  loop $for-loop|0
   local.get $2
   local.get $10
   i32.gt_s
   if
    local.get $0
    local.get $1
    local.get $10
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.get $8
    i32.mul
    i32.add
    local.set $9
    i32.const 0
    local.set $5
    local.get $4
    f32x4.splat
    local.set $7
    loop $for-loop|00
     local.get $5
     i32.const 4
     i32.add
     local.tee $6
     local.get $3
     i32.le_s
     if
      local.get $9
      local.get $5
      i32.const 2
      i32.shl
      i32.add
      local.tee $5
      local.get $5
      v128.load
      local.get $7
      f32x4.mul
      v128.store
      local.get $6
      local.set $5
      br $for-loop|00
     end
    end
    loop $for-loop|1
     local.get $3
     local.get $5
     i32.gt_s
     if
      local.get $9
      local.get $5
      i32.const 2
      i32.shl
      i32.add
      local.tee $6
      local.get $6
      f32.load
      local.get $4
      f32.mul
      f32.store
      local.get $5
      i32.const 1
      i32.add
      local.set $5
      br $for-loop|1
     end
    end
    local.get $10
    i32.const 1
    i32.add
    local.set $10
    br $for-loop|0
   end
  end
 )
 (func $asm/kernels/scaleBy (param $0 i32) (param $1 i32) (param $2 f32)
  (local $3 i32)
  (local $4 i32)
  (local $5 v128)
  local.get $2
  f32x4.splat
  local.set $5
  loop $for-loop|0
   local.get $3
   i32.const 4
   i32.add
   local.tee $4
   local.get $1
   i32.le_s
   if
    local.get $0
    local.get $3
    i32.const 2
    i32.shl
    i32.add
    local.tee $3
    local.get $3
    v128.load
    local.get $5
    f32x4.mul
    v128.store
    local.get $4
    local.set $3
    br $for-loop|0
   end
  end
  loop $for-loop|1
   local.get $1
   local.get $3
   i32.gt_s
   if
    local.get $0
    local.get $3
    i32.const 2
    i32.shl
    i32.add
    local.tee $4
    local.get $4
    f32.load
    local.get $2
    f32.mul
    f32.store
    local.get $3
    i32.const 1
    i32.add
    local.set $3
    br $for-loop|1
   end
  end
 )
 (func $asm/kernels/packB (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32) (param $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 v128)
  (local $12 i32)
  (local $13 i32)
  (local $14 i32)
  (local $15 i32)
  (local $16 i32)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  local.get $2
  i32.const 2
  i32.shl
  local.set $14
  loop $for-loop|0
   local.get $6
   local.get $13
   i32.gt_s
   if
    i32.const 8
    local.get $6
    local.get $13
    i32.sub
    local.tee $8
    local.get $8
    i32.const 8
    i32.gt_s
    select
    local.set $16
    local.get $7
    local.get $5
    local.get $13
    i32.mul
    i32.const 2
    i32.shl
    i32.add
    local.set $10
    local.get $4
    local.get $13
    i32.add
    local.set $8
    local.get $0
    if
     local.get $1
     local.get $2
     local.get $8
     i32.mul
     local.get $3
     i32.add
     i32.const 2
     i32.shl
     i32.add
     local.set $12
     local.get $16
     i32.const 8
     i32.eq
     if
      i32.const 0
      local.set $8
      loop $for-loop|2
       local.get $8
       i32.const 4
       i32.add
       local.tee $9
       local.get $5
       i32.le_s
       if
        local.get $10
        local.get $12
        local.get $8
        i32.const 2
        i32.shl
        i32.add
        local.tee $8
        v128.load
        local.tee $11
        local.get $8
        local.get $14
        i32.add
        v128.load
        local.tee $17
        i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        local.tee $18
        local.get $14
        i32.const 1
        i32.shl
        local.tee $15
        local.get $8
        i32.add
        v128.load
        local.tee $19
        local.get $14
        i32.const 3
        i32.mul
        local.tee $16
        local.get $8
        i32.add
        v128.load
        local.tee $20
        i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        local.tee $21
        i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        v128.store
        local.get $10
        local.get $18
        local.get $21
        i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
        v128.store offset=32
        local.get $10
        local.get $11
        local.get $17
        i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        local.tee $11
        local.get $19
        local.get $20
        i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        local.tee $17
        i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        v128.store offset=64
        local.get $10
        local.get $11
        local.get $17
        i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
        v128.store offset=96
        local.get $10
        i32.const 16
        i32.add
        local.get $8
        local.get $14
        i32.const 2
        i32.shl
        i32.add
        local.tee $8
        v128.load
        local.tee $11
        local.get $8
        local.get $14
        i32.add
        v128.load
        local.tee $17
        i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        local.tee $18
        local.get $8
        local.get $15
        i32.add
        v128.load
        local.tee $19
        local.get $8
        local.get $16
        i32.add
        v128.load
        local.tee $20
        i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        local.tee $21
        i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        v128.store
        local.get $10
        local.get $18
        local.get $21
        i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
        v128.store offset=48
        local.get $10
        local.get $11
        local.get $17
        i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        local.tee $11
        local.get $19
        local.get $20
        i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        local.tee $17
        i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        v128.store offset=80
        local.get $10
        local.get $11
        local.get $17
        i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
        v128.store offset=112
        local.get $10
        i32.const 128
        i32.add
        local.set $10
        local.get $9
        local.set $8
        br $for-loop|2
       end
      end
      loop $for-loop|3
       local.get $5
       local.get $8
       i32.gt_s
       if
        local.get $12
        local.get $8
        i32.const 2
        i32.shl
        i32.add
        local.set $9
        i32.const 0
        local.set $15
        loop $for-loop|4
         local.get $15
         i32.const 8
         i32.lt_s
         if
          local.get $10
          local.get $15
          i32.const 2
          i32.shl
          i32.add
          local.get $9
          local.get $14
          local.get $15
          i32.mul
          i32.add
          f32.load
          f32.store
          local.get $15
          i32.const 1
          i32.add
          local.set $15
          br $for-loop|4
         end
        end
        local.get $10
        i32.const 32
        i32.add
        local.set $10
        local.get $8
        i32.const 1
        i32.add
        local.set $8
        br $for-loop|3
       end
      end
     else
      i32.const 0
      local.set $9
      loop $for-loop|5
       local.get $5
       local.get $9
       i32.gt_s
       if
        local.get $12
        local.get $9
        i32.const 2
        i32.shl
        i32.add
        local.set $15
        i32.const 0
        local.set $8
        loop $for-loop|6
         local.get $8
         i32.const 8
         i32.lt_s
         if
          local.get $10
          local.get $8
          i32.const 2
          i32.shl
          i32.add
          local.get $8
          local.get $16
          i32.lt_s
          if (result f32)
           local.get $15
           local.get $8
           local.get $14
           i32.mul
           i32.add
           f32.load
          else
           f32.const 0
          end
          f32.store
          local.get $8
          i32.const 1
          i32.add
          local.set $8
          br $for-loop|6
         end
        end
        local.get $10
        i32.const 32
        i32.add
        local.set $10
        local.get $9
        i32.const 1
        i32.add
        local.set $9
        br $for-loop|5
       end
      end
     end
    else
     local.get $1
     local.get $2
     local.get $3
     i32.mul
     local.get $8
     i32.add
     i32.const 2
     i32.shl
     i32.add
     local.set $8
     local.get $16
     i32.const 8
     i32.eq
     if
      i32.const 0
      local.set $15
      loop $for-loop|1
       local.get $5
       local.get $15
       i32.gt_s
       if
        local.get $10
        local.get $8
        v128.load
        v128.store
        local.get $10
        local.get $8
        v128.load offset=16
        v128.store offset=16
        local.get $8
        local.get $14
        i32.add
        local.set $8
        local.get $10
        i32.const 32
        i32.add
        local.set $10
        local.get $15
        i32.const 1
        i32.add
        local.set $15
        br $for-loop|1
       end
      end
     else
      i32.const 0
      local.set $15
      loop $for-loop|00
       local.get $5
       local.get $15
       i32.gt_s
       if
        i32.const 0
        local.set $9
        loop $for-loop|11
         local.get $9
         i32.const 8
         i32.lt_s
         if
          local.get $9
          i32.const 2
          i32.shl
          local.tee $12
          local.get $10
          i32.add
          local.get $9
          local.get $16
          i32.lt_s
          if (result f32)
           local.get $8
           local.get $12
           i32.add
           f32.load
          else
           f32.const 0
          end
          f32.store
          local.get $9
          i32.const 1
          i32.add
          local.set $9
          br $for-loop|11
         end
        end
        local.get $8
        local.get $14
        i32.add
        local.set $8
        local.get $10
        i32.const 32
        i32.add
        local.set $10
        local.get $15
        i32.const 1
        i32.add
        local.set $15
        br $for-loop|00
       end
      end
     end
    end
    local.get $13
    i32.const 8
    i32.add
    local.set $13
    br $for-loop|0
   end
  end
 )
 (func $asm/kernels/mulElements (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32)
  (local $4 i32)
  (local $5 i32)
  loop $for-loop|0
   local.get $4
   i32.const 4
   i32.add
   local.tee $5
   local.get $3
   i32.le_s
   if
    local.get $4
    i32.const 2
    i32.shl
    local.tee $4
    local.get $0
    i32.add
    local.get $1
    local.get $4
    i32.add
    v128.load
    local.get $2
    local.get $4
    i32.add
    v128.load
    f32x4.mul
    v128.store
    local.get $5
    local.set $4
    br $for-loop|0
   end
  end
  loop $for-loop|1
   local.get $3
   local.get $4
   i32.gt_s
   if
    local.get $4
    i32.const 2
    i32.shl
    local.tee $5
    local.get $0
    i32.add
    local.get $1
    local.get $5
    i32.add
    f32.load
    local.get $2
    local.get $5
    i32.add
    f32.load
    f32.mul
    f32.store
    local.get $4
    i32.const 1
    i32.add
    local.set $4
    br $for-loop|1
   end
  end
 )
 (func $asm/kernels/macroDirect (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32) (param $7 i32) (param $8 i32) (param $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 i32)
  (local $14 i32)
  (local $15 v128)
  (local $16 v128)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  (local $22 v128)
  (local $23 i32)
  (local $24 i32)
  (local $25 i32)
  (local $26 i32)
  (local $27 i32)
  (local $28 i32)
  (local $29 i32)
  (local $30 v128)
  (local $31 i32)
  (local $32 v128)
  (local $33 v128)
  (local $34 i32)
  local.get $5
  i32.const 2
  i32.shl
  local.set $13
  local.get $0
  i32.const 1
  i32.eq
  if
   loop $for-loop|0
    local.get $11
    i32.const 32
    i32.add
    local.tee $5
    local.get $1
    i32.le_s
    if
     local.get $3
     local.set $10
     local.get $11
     i32.const 2
     i32.shl
     local.tee $11
     local.get $4
     i32.add
     local.set $12
     local.get $7
     local.get $11
     i32.add
     local.set $11
     i32.const 0
     local.set $14
     v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
     local.set $16
     v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
     local.set $17
     v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
     local.set $18
     v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
     local.set $19
     v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
     local.set $20
     v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
     local.set $21
     v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
     local.set $22
     v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
     local.set $15
     loop $for-loop|00
      local.get $2
      local.get $14
      i32.gt_s
      if
       local.get $10
       v128.load32_splat
       local.tee $30
       local.get $12
       v128.load
       local.get $16
       f32x4.relaxed_madd
       local.set $16
       local.get $30
       local.get $12
       v128.load offset=16
       local.get $17
       f32x4.relaxed_madd
       local.set $17
       local.get $30
       local.get $12
       v128.load offset=32
       local.get $18
       f32x4.relaxed_madd
       local.set $18
       local.get $30
       local.get $12
       v128.load offset=48
       local.get $19
       f32x4.relaxed_madd
       local.set $19
       local.get $30
       local.get $12
       v128.load offset=64
       local.get $20
       f32x4.relaxed_madd
       local.set $20
       local.get $30
       local.get $12
       v128.load offset=80
       local.get $21
       f32x4.relaxed_madd
       local.set $21
       local.get $30
       local.get $12
       v128.load offset=96
       local.get $22
       f32x4.relaxed_madd
       local.set $22
       local.get $30
       local.get $12
       v128.load offset=112
       local.get $15
       f32x4.relaxed_madd
       local.set $15
       local.get $10
       i32.const 16
       i32.add
       local.set $10
       local.get $12
       local.get $13
       i32.add
       local.set $12
       local.get $14
       i32.const 1
       i32.add
       local.set $14
       br $for-loop|00
      end
     end
     local.get $11
     local.get $11
     v128.load
     local.get $16
     f32x4.add
     v128.store
     local.get $11
     local.get $11
     v128.load offset=16
     local.get $17
     f32x4.add
     v128.store offset=16
     local.get $11
     local.get $11
     v128.load offset=32
     local.get $18
     f32x4.add
     v128.store offset=32
     local.get $11
     local.get $11
     v128.load offset=48
     local.get $19
     f32x4.add
     v128.store offset=48
     local.get $11
     local.get $11
     v128.load offset=64
     local.get $20
     f32x4.add
     v128.store offset=64
     local.get $11
     local.get $11
     v128.load offset=80
     local.get $21
     f32x4.add
     v128.store offset=80
     local.get $11
     local.get $11
     v128.load offset=96
     local.get $22
     f32x4.add
     v128.store offset=96
     local.get $11
     local.get $11
     v128.load offset=112
     local.get $15
     f32x4.add
     v128.store offset=112
     local.get $5
     local.set $11
     br $for-loop|0
    end
   end
  end
  local.get $8
  i32.const 2
  i32.shl
  local.set $26
  loop $for-loop|1
   local.get $1
   local.get $11
   i32.gt_s
   if
    local.get $4
    local.get $11
    i32.const 2
    i32.shl
    i32.add
    local.set $5
    local.get $13
    local.set $10
    i32.const 8
    local.get $1
    local.get $11
    i32.sub
    local.tee $12
    local.get $12
    i32.const 8
    i32.gt_s
    select
    local.tee $27
    i32.const 8
    i32.lt_s
    if
     local.get $6
     local.set $10
     i32.const 0
     local.set $14
     loop $for-loop|001
      local.get $2
      local.get $14
      i32.gt_s
      if
       i32.const 0
       local.set $12
       loop $for-loop|11
        local.get $12
        i32.const 8
        i32.lt_s
        if
         local.get $12
         i32.const 2
         i32.shl
         local.tee $23
         local.get $10
         i32.add
         local.get $12
         local.get $27
         i32.lt_s
         if (result f32)
          local.get $5
          local.get $23
          i32.add
          f32.load
         else
          f32.const 0
         end
         f32.store
         local.get $12
         i32.const 1
         i32.add
         local.set $12
         br $for-loop|11
        end
       end
       local.get $5
       local.get $13
       i32.add
       local.set $5
       local.get $10
       i32.const 32
       i32.add
       local.set $10
       local.get $14
       i32.const 1
       i32.add
       local.set $14
       br $for-loop|001
      end
     end
     i32.const 32
     local.set $10
     local.get $6
     local.set $5
    end
    i32.const 0
    local.set $23
    loop $for-loop|2
     local.get $0
     local.get $23
     i32.gt_s
     if
      local.get $3
      local.get $2
      local.get $23
      i32.mul
      i32.const 2
      i32.shl
      i32.add
      local.set $14
      local.get $5
      local.set $12
      local.get $7
      local.get $8
      local.get $23
      i32.mul
      local.get $11
      i32.add
      i32.const 2
      i32.shl
      i32.add
      local.set $25
      i32.const 4
      local.get $0
      local.get $23
      i32.sub
      local.tee $24
      local.get $24
      i32.const 4
      i32.gt_s
      select
      local.set $28
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $15
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $16
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $17
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $18
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $19
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $20
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $21
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $22
      i32.const 0
      local.set $24
      loop $for-loop|3
       local.get $2
       local.get $24
       i32.gt_s
       if
        local.get $14
        v128.load32_splat
        local.tee $32
        local.get $12
        v128.load
        local.tee $30
        local.get $15
        f32x4.relaxed_madd
        local.set $15
        local.get $32
        local.get $12
        v128.load offset=16
        local.tee $32
        local.get $16
        f32x4.relaxed_madd
        local.set $16
        local.get $14
        v128.load32_splat offset=4
        local.tee $33
        local.get $30
        local.get $17
        f32x4.relaxed_madd
        local.set $17
        local.get $33
        local.get $32
        local.get $18
        f32x4.relaxed_madd
        local.set $18
        local.get $14
        v128.load32_splat offset=8
        local.tee $33
        local.get $30
        local.get $19
        f32x4.relaxed_madd
        local.set $19
        local.get $33
        local.get $32
        local.get $20
        f32x4.relaxed_madd
        local.set $20
        local.get $14
        v128.load32_splat offset=12
        local.tee $33
        local.get $30
        local.get $21
        f32x4.relaxed_madd
        local.set $21
        local.get $33
        local.get $32
        local.get $22
        f32x4.relaxed_madd
        local.set $22
        local.get $14
        i32.const 16
        i32.add
        local.set $14
        local.get $10
        local.get $12
        i32.add
        local.set $12
        local.get $24
        i32.const 1
        i32.add
        local.set $24
        br $for-loop|3
       end
      end
      block $asm/kernels/kernel|inlined.0
       local.get $27
       i32.const 8
       i32.eq
       local.get $28
       i32.const 4
       i32.eq
       i32.and
       if
        local.get $25
        local.get $25
        v128.load
        local.get $15
        f32x4.add
        v128.store
        local.get $25
        local.get $25
        v128.load offset=16
        local.get $16
        f32x4.add
        v128.store offset=16
        local.get $25
        local.get $26
        i32.add
        local.tee $12
        local.get $12
        v128.load
        local.get $17
        f32x4.add
        v128.store
        local.get $12
        local.get $12
        v128.load offset=16
        local.get $18
        f32x4.add
        v128.store offset=16
        local.get $12
        local.get $26
        i32.add
        local.tee $12
        local.get $12
        v128.load
        local.get $19
        f32x4.add
        v128.store
        local.get $12
        local.get $12
        v128.load offset=16
        local.get $20
        f32x4.add
        v128.store offset=16
        local.get $12
        local.get $26
        i32.add
        local.tee $12
        local.get $12
        v128.load
        local.get $21
        f32x4.add
        v128.store
        local.get $12
        local.get $12
        v128.load offset=16
        local.get $22
        f32x4.add
        v128.store offset=16
        br $asm/kernels/kernel|inlined.0
       end
       local.get $9
       local.get $15
       v128.store
       local.get $9
       local.get $16
       v128.store offset=16
       local.get $9
       local.get $17
       v128.store offset=32
       local.get $9
       local.get $18
       v128.store offset=48
       local.get $9
       local.get $19
       v128.store offset=64
       local.get $9
       local.get $20
       v128.store offset=80
       local.get $9
       local.get $21
       v128.store offset=96
       local.get $9
       local.get $22
       v128.store offset=112
       i32.const 0
       local.set $12
       loop $for-loop|4
        local.get $12
        local.get $28
        i32.lt_s
        if
         local.get $25
         local.get $12
         local.get $26
         i32.mul
         i32.add
         local.set $34
         local.get $9
         local.get $12
         i32.const 5
         i32.shl
         i32.add
         local.set $24
         i32.const 0
         local.set $14
         loop $for-loop|5
          local.get $14
          local.get $27
          i32.lt_s
          if
           local.get $34
           local.get $14
           i32.const 2
           i32.shl
           local.tee $31
           i32.add
           local.tee $29
           local.get $29
           f32.load
           local.get $24
           local.get $31
           i32.add
           f32.load
           f32.add
           f32.store
           local.get $14
           i32.const 1
           i32.add
           local.set $14
           br $for-loop|5
          end
         end
         local.get $12
         i32.const 1
         i32.add
         local.set $12
         br $for-loop|4
        end
       end
      end
      local.get $23
      i32.const 4
      i32.add
      local.set $23
      br $for-loop|2
     end
    end
    local.get $11
    i32.const 8
    i32.add
    local.set $11
    br $for-loop|1
   end
  end
 )
 (func $asm/kernels/macro (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32) (param $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 v128)
  (local $12 i32)
  (local $13 i32)
  (local $14 i32)
  (local $15 i32)
  (local $16 v128)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  (local $22 v128)
  (local $23 v128)
  (local $24 v128)
  (local $25 i32)
  (local $26 i32)
  (local $27 i32)
  (local $28 i32)
  (local $29 i32)
  (local $30 v128)
  (local $31 i32)
  local.get $6
  i32.const 2
  i32.shl
  local.set $25
  loop $for-loop|0
   local.get $1
   local.get $26
   i32.gt_s
   if
    i32.const 8
    local.get $1
    local.get $26
    i32.sub
    local.tee $8
    local.get $8
    i32.const 8
    i32.gt_s
    select
    local.set $15
    local.get $4
    local.get $2
    local.get $26
    i32.mul
    i32.const 2
    i32.shl
    i32.add
    local.set $9
    i32.const 0
    local.set $28
    loop $for-loop|1
     local.get $0
     local.get $28
     i32.gt_s
     if
      local.get $3
      local.get $2
      local.get $28
      i32.mul
      i32.const 2
      i32.shl
      i32.add
      local.set $29
      local.get $9
      local.set $8
      local.get $5
      local.get $6
      local.get $28
      i32.mul
      local.get $26
      i32.add
      i32.const 2
      i32.shl
      i32.add
      local.set $27
      i32.const 4
      local.get $0
      local.get $28
      i32.sub
      local.tee $10
      local.get $10
      i32.const 4
      i32.gt_s
      select
      local.set $14
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $24
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $23
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $22
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $21
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $20
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $19
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $18
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $17
      i32.const 0
      local.set $10
      loop $for-loop|2
       local.get $2
       local.get $10
       i32.gt_s
       if
        local.get $29
        v128.load32_splat
        local.tee $11
        local.get $8
        v128.load
        local.tee $16
        local.get $24
        f32x4.relaxed_madd
        local.set $24
        local.get $11
        local.get $8
        v128.load offset=16
        local.tee $11
        local.get $23
        f32x4.relaxed_madd
        local.set $23
        local.get $29
        v128.load32_splat offset=4
        local.tee $30
        local.get $16
        local.get $22
        f32x4.relaxed_madd
        local.set $22
        local.get $30
        local.get $11
        local.get $21
        f32x4.relaxed_madd
        local.set $21
        local.get $29
        v128.load32_splat offset=8
        local.tee $30
        local.get $16
        local.get $20
        f32x4.relaxed_madd
        local.set $20
        local.get $30
        local.get $11
        local.get $19
        f32x4.relaxed_madd
        local.set $19
        local.get $29
        v128.load32_splat offset=12
        local.tee $30
        local.get $16
        local.get $18
        f32x4.relaxed_madd
        local.set $18
        local.get $30
        local.get $11
        local.get $17
        f32x4.relaxed_madd
        local.set $17
        local.get $29
        i32.const 16
        i32.add
        local.set $29
        local.get $8
        i32.const 32
        i32.add
        local.set $8
        local.get $10
        i32.const 1
        i32.add
        local.set $10
        br $for-loop|2
       end
      end
      block $asm/kernels/kernel|inlined.1
       local.get $15
       i32.const 8
       i32.eq
       local.get $14
       i32.const 4
       i32.eq
       i32.and
       if
        local.get $27
        local.get $27
        v128.load
        local.get $24
        f32x4.add
        v128.store
        local.get $27
        local.get $27
        v128.load offset=16
        local.get $23
        f32x4.add
        v128.store offset=16
        local.get $25
        local.get $27
        i32.add
        local.tee $8
        local.get $8
        v128.load
        local.get $22
        f32x4.add
        v128.store
        local.get $8
        local.get $8
        v128.load offset=16
        local.get $21
        f32x4.add
        v128.store offset=16
        local.get $8
        local.get $25
        i32.add
        local.tee $8
        local.get $8
        v128.load
        local.get $20
        f32x4.add
        v128.store
        local.get $8
        local.get $8
        v128.load offset=16
        local.get $19
        f32x4.add
        v128.store offset=16
        local.get $8
        local.get $25
        i32.add
        local.tee $8
        local.get $8
        v128.load
        local.get $18
        f32x4.add
        v128.store
        local.get $8
        local.get $8
        v128.load offset=16
        local.get $17
        f32x4.add
        v128.store offset=16
        br $asm/kernels/kernel|inlined.1
       end
       local.get $7
       local.get $24
       v128.store
       local.get $7
       local.get $23
       v128.store offset=16
       local.get $7
       local.get $22
       v128.store offset=32
       local.get $7
       local.get $21
       v128.store offset=48
       local.get $7
       local.get $20
       v128.store offset=64
       local.get $7
       local.get $19
       v128.store offset=80
       local.get $7
       local.get $18
       v128.store offset=96
       local.get $7
       local.get $17
       v128.store offset=112
       i32.const 0
       local.set $8
       loop $for-loop|3
        local.get $8
        local.get $14
        i32.lt_s
        if
         local.get $27
         local.get $8
         local.get $25
         i32.mul
         i32.add
         local.set $13
         local.get $7
         local.get $8
         i32.const 5
         i32.shl
         i32.add
         local.set $12
         i32.const 0
         local.set $29
         loop $for-loop|4
          local.get $15
          local.get $29
          i32.gt_s
          if
           local.get $13
           local.get $29
           i32.const 2
           i32.shl
           local.tee $31
           i32.add
           local.tee $10
           local.get $10
           f32.load
           local.get $12
           local.get $31
           i32.add
           f32.load
           f32.add
           f32.store
           local.get $29
           i32.const 1
           i32.add
           local.set $29
           br $for-loop|4
          end
         end
         local.get $8
         i32.const 1
         i32.add
         local.set $8
         br $for-loop|3
        end
       end
      end
      local.get $28
      i32.const 4
      i32.add
      local.set $28
      br $for-loop|1
     end
    end
    local.get $26
    i32.const 8
    i32.add
    local.set $26
    br $for-loop|0
   end
  end
 )
 (func $asm/kernels/lstmSequenceForward (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32) (param $7 i32) (param $8 i32) (param $9 i32) (param $10 i32) (param $11 i32)
  (local $12 i32)
  (local $13 i32)
  (local $14 i32)
  (local $15 i32)
  (local $16 i32)
  (local $17 i32)
  (local $18 i32)
  (local $19 i32)
  (local $20 i32)
  (local $21 i32)
  (local $22 i32)
  (local $23 i32)
  (local $24 i32)
  (local $25 i32)
  (local $26 i32)
  local.get $2
  i32.const 2
  i32.shl
  local.set $17
  local.get $1
  local.get $2
  i32.mul
  local.set $19
  local.get $10
  local.get $0
  i32.const 3
  i32.shl
  i32.add
  local.set $22
  loop $for-loop|0
   local.get $0
   local.get $18
   i32.gt_s
   if
    local.get $10
    local.get $0
    i32.const 1
    i32.sub
    local.get $18
    i32.sub
    local.get $18
    local.get $3
    i32.const 0
    i32.ne
    local.tee $12
    select
    local.tee $15
    i32.const 2
    i32.shl
    i32.add
    f32.load
    i32.trunc_sat_f32_s
    local.set $13
    local.get $15
    i32.const 1
    i32.add
    local.tee $14
    local.get $15
    local.get $12
    select
    local.get $19
    i32.mul
    local.set $20
    local.get $15
    local.get $14
    local.get $12
    select
    local.get $19
    i32.mul
    local.set $21
    local.get $10
    local.get $0
    local.get $15
    i32.add
    i32.const 2
    i32.shl
    i32.add
    f32.load
    i32.trunc_sat_f32_s
    local.get $13
    i32.sub
    local.tee $12
    i32.const 0
    i32.gt_s
    if
     i32.const 0
     i32.const 0
     local.get $12
     local.get $17
     local.get $2
     f32.const 1
     local.get $2
     local.get $13
     i32.mul
     local.tee $14
     local.get $20
     i32.add
     i32.const 2
     i32.shl
     local.tee $16
     local.get $6
     i32.add
     local.get $2
     local.get $5
     local.get $17
     f32.const 1
     local.get $4
     local.get $1
     local.get $15
     i32.mul
     local.get $13
     i32.add
     local.get $17
     i32.mul
     i32.const 2
     i32.shl
     i32.add
     local.tee $13
     local.get $17
     local.get $11
     call $asm/kernels/gemm
     local.get $12
     local.get $2
     local.get $13
     local.get $7
     local.get $16
     i32.add
     local.get $13
     local.get $14
     local.get $21
     i32.add
     i32.const 2
     i32.shl
     local.tee $12
     local.get $7
     i32.add
     local.get $6
     local.get $12
     i32.add
     call $asm/kernels/lstmForward
    end
    i32.const 0
    local.set $16
    loop $for-loop|1
     local.get $1
     local.get $16
     i32.gt_s
     if
      local.get $8
      local.get $1
      local.get $15
      i32.mul
      local.get $16
      i32.add
      local.get $9
      i32.mul
      i32.const 2
      i32.shl
      i32.add
      local.set $13
      local.get $21
      local.get $2
      local.get $16
      i32.mul
      i32.add
      i32.const 2
      i32.shl
      local.set $25
      local.get $22
      local.get $16
      i32.const 2
      i32.shl
      i32.add
      f32.load
      local.get $15
      f32.convert_i32_s
      f32.gt
      if
       local.get $13
       local.set $14
       local.get $6
       local.get $25
       i32.add
       local.set $23
       i32.const 0
       local.set $12
       loop $for-loop|2
        local.get $12
        i32.const 4
        i32.add
        local.tee $13
        local.get $2
        i32.le_s
        if
         local.get $12
         i32.const 2
         i32.shl
         local.tee $12
         local.get $14
         i32.add
         local.get $12
         local.get $23
         i32.add
         v128.load
         v128.store
         local.get $13
         local.set $12
         br $for-loop|2
        end
       end
       loop $for-loop|3
        local.get $2
        local.get $12
        i32.gt_s
        if
         local.get $12
         i32.const 2
         i32.shl
         local.tee $13
         local.get $14
         i32.add
         local.get $13
         local.get $23
         i32.add
         f32.load
         f32.store
         local.get $12
         i32.const 1
         i32.add
         local.set $12
         br $for-loop|3
        end
       end
      else
       local.get $6
       local.get $25
       i32.add
       local.set $23
       local.get $20
       local.get $2
       local.get $16
       i32.mul
       i32.add
       i32.const 2
       i32.shl
       local.tee $24
       local.get $6
       i32.add
       local.set $26
       i32.const 0
       local.set $12
       loop $for-loop|4
        local.get $12
        i32.const 4
        i32.add
        local.tee $14
        local.get $2
        i32.le_s
        if
         local.get $12
         i32.const 2
         i32.shl
         local.tee $12
         local.get $23
         i32.add
         local.get $12
         local.get $26
         i32.add
         v128.load
         v128.store
         local.get $14
         local.set $12
         br $for-loop|4
        end
       end
       loop $for-loop|5
        local.get $2
        local.get $12
        i32.gt_s
        if
         local.get $12
         i32.const 2
         i32.shl
         local.tee $14
         local.get $23
         i32.add
         local.get $14
         local.get $26
         i32.add
         f32.load
         f32.store
         local.get $12
         i32.const 1
         i32.add
         local.set $12
         br $for-loop|5
        end
       end
       local.get $7
       local.get $25
       i32.add
       local.set $23
       local.get $7
       local.get $24
       i32.add
       local.set $24
       i32.const 0
       local.set $12
       loop $for-loop|6
        local.get $12
        i32.const 4
        i32.add
        local.tee $14
        local.get $2
        i32.le_s
        if
         local.get $12
         i32.const 2
         i32.shl
         local.tee $12
         local.get $23
         i32.add
         local.get $12
         local.get $24
         i32.add
         v128.load
         v128.store
         local.get $14
         local.set $12
         br $for-loop|6
        end
       end
       loop $for-loop|7
        local.get $2
        local.get $12
        i32.gt_s
        if
         local.get $12
         i32.const 2
         i32.shl
         local.tee $14
         local.get $23
         i32.add
         local.get $14
         local.get $24
         i32.add
         f32.load
         f32.store
         local.get $12
         i32.const 1
         i32.add
         local.set $12
         br $for-loop|7
        end
       end
       local.get $13
       local.set $14
       i32.const 0
       local.set $12
       loop $for-loop|8
        local.get $12
        i32.const 4
        i32.add
        local.tee $13
        local.get $2
        i32.le_s
        if
         local.get $14
         local.get $12
         i32.const 2
         i32.shl
         i32.add
         v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
         v128.store
         local.get $13
         local.set $12
         br $for-loop|8
        end
       end
       loop $for-loop|9
        local.get $2
        local.get $12
        i32.gt_s
        if
         local.get $14
         local.get $12
         i32.const 2
         i32.shl
         i32.add
         f32.const 0
         f32.store
         local.get $12
         i32.const 1
         i32.add
         local.set $12
         br $for-loop|9
        end
       end
      end
      local.get $16
      i32.const 1
      i32.add
      local.set $16
      br $for-loop|1
     end
    end
    local.get $18
    i32.const 1
    i32.add
    local.set $18
    br $for-loop|0
   end
  end
 )
 (func $asm/kernels/lstmSequenceBackward (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32) (param $7 i32) (param $8 i32) (param $9 i32) (param $10 i32) (param $11 i32) (param $12 i32) (result i32)
  (local $13 i32)
  (local $14 i32)
  (local $15 i32)
  (local $16 i32)
  (local $17 i32)
  (local $18 i32)
  (local $19 i32)
  (local $20 i32)
  (local $21 i32)
  (local $22 i32)
  (local $23 i32)
  (local $24 i32)
  (local $25 i32)
  (local $26 i32)
  (local $27 i32)
  (local $28 i32)
  (local $29 i32)
  (local $30 i32)
  (local $31 i32)
  local.get $2
  i32.const 2
  i32.shl
  local.set $29
  local.get $1
  local.get $2
  i32.mul
  local.tee $23
  i32.const 2
  i32.shl
  local.set $26
  local.get $9
  local.get $0
  i32.const 3
  i32.shl
  i32.add
  local.set $22
  local.get $0
  i32.const 1
  i32.sub
  local.set $28
  loop $for-loop|0
   local.get $28
   i32.const 0
   i32.ge_s
   if
    local.get $0
    i32.const 1
    i32.sub
    local.get $28
    i32.sub
    local.get $28
    local.get $3
    i32.const 0
    i32.ne
    local.tee $18
    select
    local.tee $30
    i32.const 1
    i32.add
    local.tee $17
    local.get $30
    local.get $18
    select
    local.set $19
    local.get $9
    local.get $0
    local.get $30
    i32.add
    i32.const 2
    i32.shl
    i32.add
    f32.load
    i32.trunc_sat_f32_s
    local.tee $20
    local.get $9
    local.get $30
    i32.const 2
    i32.shl
    i32.add
    f32.load
    i32.trunc_sat_f32_s
    local.tee $16
    i32.sub
    local.set $27
    local.get $10
    local.get $11
    local.get $26
    i32.mul
    i32.add
    local.set $25
    local.get $7
    if
     local.get $16
     local.set $15
     loop $for-loop|1
      local.get $15
      local.get $20
      i32.lt_s
      if
       local.get $22
       local.get $15
       i32.const 2
       i32.shl
       i32.add
       f32.load
       local.get $30
       f32.convert_i32_s
       f32.le
       i32.eqz
       if
        local.get $7
        local.get $1
        local.get $30
        i32.mul
        local.get $15
        i32.add
        local.get $8
        i32.mul
        i32.const 2
        i32.shl
        i32.add
        local.set $21
        local.get $25
        local.get $2
        local.get $15
        i32.mul
        i32.const 2
        i32.shl
        i32.add
        local.set $24
        i32.const 0
        local.set $13
        loop $for-loop|2
         local.get $13
         i32.const 4
         i32.add
         local.tee $14
         local.get $2
         i32.le_s
         if
          local.get $13
          i32.const 2
          i32.shl
          local.tee $13
          local.get $24
          i32.add
          local.tee $31
          local.get $31
          v128.load
          local.get $13
          local.get $21
          i32.add
          v128.load
          f32x4.add
          v128.store
          local.get $14
          local.set $13
          br $for-loop|2
         end
        end
        loop $for-loop|3
         local.get $2
         local.get $13
         i32.gt_s
         if
          local.get $13
          i32.const 2
          i32.shl
          local.tee $14
          local.get $24
          i32.add
          local.tee $31
          local.get $31
          f32.load
          local.get $14
          local.get $21
          i32.add
          f32.load
          f32.add
          f32.store
          local.get $13
          i32.const 1
          i32.add
          local.set $13
          br $for-loop|3
         end
        end
       end
       local.get $15
       i32.const 1
       i32.add
       local.set $15
       br $for-loop|1
      end
     end
    end
    local.get $10
    i32.const 1
    local.get $11
    i32.sub
    local.get $26
    i32.mul
    i32.add
    local.set $24
    local.get $10
    local.get $11
    i32.const 2
    i32.add
    local.get $26
    i32.mul
    i32.add
    local.set $21
    local.get $10
    i32.const 3
    local.get $11
    i32.sub
    local.get $26
    i32.mul
    i32.add
    local.set $20
    local.get $4
    local.get $1
    local.get $30
    i32.mul
    local.get $16
    i32.add
    local.get $29
    i32.mul
    i32.const 2
    i32.shl
    i32.add
    local.set $31
    local.get $2
    local.get $16
    i32.mul
    local.tee $13
    i32.const 2
    i32.shl
    local.set $16
    local.get $27
    i32.const 0
    i32.gt_s
    if
     local.get $27
     local.get $2
     local.get $31
     local.get $6
     local.get $19
     local.get $23
     i32.mul
     local.get $13
     i32.add
     i32.const 2
     i32.shl
     i32.add
     local.get $6
     local.get $23
     local.get $30
     local.get $17
     local.get $18
     select
     i32.mul
     local.get $13
     i32.add
     i32.const 2
     i32.shl
     i32.add
     local.get $16
     local.get $25
     i32.add
     local.get $16
     local.get $21
     i32.add
     local.get $31
     local.get $16
     local.get $20
     i32.add
     call $asm/kernels/lstmBackward
     local.get $16
     local.get $24
     i32.add
     local.set $15
     local.get $2
     local.get $27
     i32.mul
     local.set $17
     i32.const 0
     local.set $13
     loop $for-loop|4
      local.get $13
      i32.const 4
      i32.add
      local.tee $14
      local.get $17
      i32.le_s
      if
       local.get $15
       local.get $13
       i32.const 2
       i32.shl
       i32.add
       v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
       v128.store
       local.get $14
       local.set $13
       br $for-loop|4
      end
     end
     loop $for-loop|5
      local.get $13
      local.get $17
      i32.lt_s
      if
       local.get $15
       local.get $13
       i32.const 2
       i32.shl
       i32.add
       f32.const 0
       f32.store
       local.get $13
       i32.const 1
       i32.add
       local.set $13
       br $for-loop|5
      end
     end
    end
    i32.const 0
    local.set $15
    loop $for-loop|6
     local.get $1
     local.get $15
     i32.gt_s
     if
      local.get $22
      local.get $15
      i32.const 2
      i32.shl
      i32.add
      f32.load
      local.get $30
      f32.convert_i32_s
      f32.gt
      i32.eqz
      if
       local.get $24
       local.get $2
       local.get $15
       i32.mul
       i32.const 2
       i32.shl
       local.tee $17
       i32.add
       local.set $18
       local.get $17
       local.get $25
       i32.add
       local.set $19
       i32.const 0
       local.set $13
       loop $for-loop|7
        local.get $13
        i32.const 4
        i32.add
        local.tee $14
        local.get $2
        i32.le_s
        if
         local.get $13
         i32.const 2
         i32.shl
         local.tee $13
         local.get $18
         i32.add
         local.get $13
         local.get $19
         i32.add
         v128.load
         v128.store
         local.get $14
         local.set $13
         br $for-loop|7
        end
       end
       loop $for-loop|8
        local.get $2
        local.get $13
        i32.gt_s
        if
         local.get $13
         i32.const 2
         i32.shl
         local.tee $14
         local.get $18
         i32.add
         local.get $14
         local.get $19
         i32.add
         f32.load
         f32.store
         local.get $13
         i32.const 1
         i32.add
         local.set $13
         br $for-loop|8
        end
       end
       local.get $17
       local.get $20
       i32.add
       local.set $18
       local.get $17
       local.get $21
       i32.add
       local.set $17
       i32.const 0
       local.set $13
       loop $for-loop|9
        local.get $13
        i32.const 4
        i32.add
        local.tee $14
        local.get $2
        i32.le_s
        if
         local.get $13
         i32.const 2
         i32.shl
         local.tee $13
         local.get $18
         i32.add
         local.get $13
         local.get $17
         i32.add
         v128.load
         v128.store
         local.get $14
         local.set $13
         br $for-loop|9
        end
       end
       loop $for-loop|10
        local.get $2
        local.get $13
        i32.gt_s
        if
         local.get $13
         i32.const 2
         i32.shl
         local.tee $14
         local.get $18
         i32.add
         local.get $14
         local.get $17
         i32.add
         f32.load
         f32.store
         local.get $13
         i32.const 1
         i32.add
         local.set $13
         br $for-loop|10
        end
       end
       local.get $4
       local.get $1
       local.get $30
       i32.mul
       local.get $15
       i32.add
       local.get $29
       i32.mul
       i32.const 2
       i32.shl
       i32.add
       local.set $17
       i32.const 0
       local.set $13
       loop $for-loop|11
        local.get $13
        i32.const 4
        i32.add
        local.tee $14
        local.get $29
        i32.le_s
        if
         local.get $17
         local.get $13
         i32.const 2
         i32.shl
         i32.add
         v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
         v128.store
         local.get $14
         local.set $13
         br $for-loop|11
        end
       end
       loop $for-loop|12
        local.get $13
        local.get $29
        i32.lt_s
        if
         local.get $17
         local.get $13
         i32.const 2
         i32.shl
         i32.add
         f32.const 0
         f32.store
         local.get $13
         i32.const 1
         i32.add
         local.set $13
         br $for-loop|12
        end
       end
      end
      local.get $15
      i32.const 1
      i32.add
      local.set $15
      br $for-loop|6
     end
    end
    local.get $27
    i32.const 0
    i32.gt_s
    if
     i32.const 0
     i32.const 1
     local.get $27
     local.get $2
     local.get $29
     f32.const 1
     local.get $31
     local.get $29
     local.get $5
     local.get $29
     f32.const 1
     local.get $16
     local.get $24
     i32.add
     local.get $2
     local.get $12
     call $asm/kernels/gemm
    end
    i32.const 1
    local.get $11
    i32.sub
    local.set $11
    local.get $28
    i32.const 1
    i32.sub
    local.set $28
    br $for-loop|0
   end
  end
  local.get $11
 )
 (func $asm/kernels/gemmScratchBytes (result i32)
  i32.const 2228352
 )
 (func $asm/kernels/gatherRows (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  local.get $4
  i32.const 2
  i32.shl
  local.set $9
  loop $for-loop|0
   local.get $3
   local.get $10
   i32.gt_s
   if
    local.get $0
    local.get $9
    local.get $10
    i32.mul
    i32.add
    local.set $8
    local.get $1
    local.get $2
    local.get $10
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.get $9
    i32.mul
    i32.add
    local.set $7
    i32.const 0
    local.set $5
    loop $for-loop|1
     local.get $5
     i32.const 4
     i32.add
     local.tee $6
     local.get $4
     i32.le_s
     if
      local.get $5
      i32.const 2
      i32.shl
      local.tee $5
      local.get $8
      i32.add
      local.get $5
      local.get $7
      i32.add
      v128.load
      v128.store
      local.get $6
      local.set $5
      br $for-loop|1
     end
    end
    loop $for-loop|2
     local.get $4
     local.get $5
     i32.gt_s
     if
      local.get $5
      i32.const 2
      i32.shl
      local.tee $6
      local.get $8
      i32.add
      local.get $6
      local.get $7
      i32.add
      f32.load
      f32.store
      local.get $5
      i32.const 1
      i32.add
      local.set $5
      br $for-loop|2
     end
    end
    local.get $10
    i32.const 1
    i32.add
    local.set $10
    br $for-loop|0
   end
  end
 )
 (func $asm/kernels/dropoutForward (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 f64) (param $5 f32) (param $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i64)
  (local $13 i32)
  (local $14 f32)
  (local $15 i32)
  local.get $6
  i32.load
  local.set $10
  local.get $6
  i32.load offset=4
  local.set $7
  local.get $6
  i32.load offset=8
  local.set $9
  local.get $6
  i32.load offset=12
  local.set $8
  local.get $4
  f64.const 4294967296
  f64.mul
  f64.ceil
  i64.trunc_sat_f64_u
  local.set $12
  loop $for-loop|0
   local.get $3
   local.get $11
   i32.gt_s
   if
    local.get $7
    i32.const 5
    i32.mul
    i32.const 7
    i32.rotl
    i32.const 9
    i32.mul
    local.set $13
    local.get $7
    i32.const 9
    i32.shl
    local.set $15
    local.get $7
    local.get $8
    i32.xor
    local.set $8
    local.get $9
    local.get $10
    i32.xor
    local.tee $9
    local.get $7
    i32.xor
    local.set $7
    local.get $8
    local.get $10
    i32.xor
    local.set $10
    local.get $9
    local.get $15
    i32.xor
    local.set $9
    local.get $8
    i32.const 11
    i32.rotl
    local.set $8
    local.get $11
    i32.const 2
    i32.shl
    local.tee $15
    local.get $2
    i32.add
    f32.const 0
    local.get $5
    local.get $13
    i64.extend_i32_u
    local.get $12
    i64.lt_u
    select
    local.tee $14
    f32.store
    local.get $1
    local.get $15
    i32.add
    local.get $0
    local.get $15
    i32.add
    f32.load
    local.get $14
    f32.mul
    f32.store
    local.get $11
    i32.const 1
    i32.add
    local.set $11
    br $for-loop|0
   end
  end
  local.get $6
  local.get $10
  i32.store
  local.get $6
  local.get $7
  i32.store offset=4
  local.get $6
  local.get $9
  i32.store offset=8
  local.get $6
  local.get $8
  i32.store offset=12
 )
 (func $asm/kernels/copyRows (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  local.get $3
  i32.const 2
  i32.shl
  local.set $6
  loop $for-loop|0
   local.get $2
   local.get $9
   i32.gt_s
   if
    local.get $0
    local.get $6
    local.get $9
    i32.mul
    i32.add
    local.set $8
    local.get $1
    local.get $9
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.set $7
    i32.const 0
    local.set $4
    loop $for-loop|1
     local.get $4
     i32.const 4
     i32.add
     local.tee $5
     local.get $3
     i32.le_s
     if
      local.get $4
      i32.const 2
      i32.shl
      local.tee $4
      local.get $8
      i32.add
      local.get $4
      local.get $7
      i32.add
      v128.load
      v128.store
      local.get $5
      local.set $4
      br $for-loop|1
     end
    end
    loop $for-loop|2
     local.get $3
     local.get $4
     i32.gt_s
     if
      local.get $4
      i32.const 2
      i32.shl
      local.tee $5
      local.get $8
      i32.add
      local.get $5
      local.get $7
      i32.add
      f32.load
      f32.store
      local.get $4
      i32.const 1
      i32.add
      local.set $4
      br $for-loop|2
     end
    end
    local.get $9
    i32.const 1
    i32.add
    local.set $9
    br $for-loop|0
   end
  end
 )
 (func $asm/kernels/addInto (param $0 i32) (param $1 i32) (param $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  loop $for-loop|0
   local.get $3
   i32.const 4
   i32.add
   local.tee $4
   local.get $2
   i32.le_s
   if
    local.get $3
    i32.const 2
    i32.shl
    local.tee $3
    local.get $0
    i32.add
    local.tee $5
    local.get $5
    v128.load
    local.get $1
    local.get $3
    i32.add
    v128.load
    f32x4.add
    v128.store
    local.get $4
    local.set $3
    br $for-loop|0
   end
  end
  loop $for-loop|1
   local.get $2
   local.get $3
   i32.gt_s
   if
    local.get $3
    i32.const 2
    i32.shl
    local.tee $4
    local.get $0
    i32.add
    local.tee $5
    local.get $5
    f32.load
    local.get $1
    local.get $4
    i32.add
    f32.load
    f32.add
    f32.store
    local.get $3
    i32.const 1
    i32.add
    local.set $3
    br $for-loop|1
   end
  end
 )
 (func $asm/kernels/addElements (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32)
  (local $4 i32)
  (local $5 i32)
  loop $for-loop|0
   local.get $4
   i32.const 4
   i32.add
   local.tee $5
   local.get $3
   i32.le_s
   if
    local.get $4
    i32.const 2
    i32.shl
    local.tee $4
    local.get $0
    i32.add
    local.get $1
    local.get $4
    i32.add
    v128.load
    local.get $2
    local.get $4
    i32.add
    v128.load
    f32x4.add
    v128.store
    local.get $5
    local.set $4
    br $for-loop|0
   end
  end
  loop $for-loop|1
   local.get $3
   local.get $4
   i32.gt_s
   if
    local.get $4
    i32.const 2
    i32.shl
    local.tee $5
    local.get $0
    i32.add
    local.get $1
    local.get $5
    i32.add
    f32.load
    local.get $2
    local.get $5
    i32.add
    f32.load
    f32.add
    f32.store
    local.get $4
    i32.const 1
    i32.add
    local.set $4
    br $for-loop|1
   end
  end
 )
 (func $asm/kernels/adamRows (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32) (param $7 f32) (param $8 f32) (param $9 f32) (param $10 f32) (param $11 f32) (param $12 f32) (param $13 f32) (param $14 f32) (param $15 f32)
  (local $16 i32)
  (local $17 i32)
  (local $18 i32)
  local.get $6
  i32.const 2
  i32.shl
  local.set $18
  loop $for-loop|0
   local.get $5
   local.get $16
   i32.gt_s
   if
    local.get $4
    local.get $16
    i32.const 2
    i32.shl
    i32.add
    i32.load
    local.get $18
    i32.mul
    local.tee $17
    local.get $0
    i32.add
    local.get $1
    local.get $17
    i32.add
    local.get $2
    local.get $17
    i32.add
    local.get $3
    local.get $17
    i32.add
    local.get $6
    local.get $7
    local.get $8
    local.get $9
    local.get $10
    local.get $11
    local.get $12
    local.get $13
    local.get $14
    local.get $15
    call $asm/kernels/adamUpdate
    local.get $16
    i32.const 1
    i32.add
    local.set $16
    br $for-loop|0
   end
  end
 )
)
