<?php
// Orders and the notifications applied to them.

declare(strict_types=1);

use Illuminate\Database\Migrations\Migration;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Facades\Schema;

return new class extends Migration {
    public function up(): void
    {
        Schema::create('orders', function (Blueprint $table): void {
            $table->id();
            $table->string('reference', 64)->unique()->nullable();
            $table->char('currency', 3);
            $table->decimal('amount', 12, 2);
            $table->string('email');
            $table->unsignedBigInteger('cip')->nullable()->unique();
            $table->text('cip_url')->nullable();
            $table->timestampTz('expires_at')->nullable();
            $table->string('status', 16)->default('pending');
            $table->timestampTz('paid_at')->nullable();
            $table->timestampsTz();
        });
        Schema::create('order_events', function (Blueprint $table): void {
            $table->id();
            $table->foreignId('order_id')->constrained();
            $table->string('event_type', 32);
            $table->string('operation_number', 32);
            $table->char('currency', 3);
            $table->decimal('amount', 12, 2);
            $table->timestampTz('created_at')->nullable();
        });
    }

    public function down(): void
    {
        Schema::dropIfExists('order_events');
        Schema::dropIfExists('orders');
    }
};
