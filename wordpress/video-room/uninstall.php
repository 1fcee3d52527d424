<?php
/**
 * Deleting the plugin removes what it stored: its two options and the
 * rate-limit counters (transients). Through the options API and $wpdb->options,
 * never a hard-coded table name: sites choose their own table prefix.
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'video_room_server' );
delete_option( 'video_room_token_secret' );

global $wpdb;
$video_room_like = $wpdb->esc_like( '_transient_video_room_rate_' ) . '%';
$video_room_keys = $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s", $video_room_like ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
foreach ( $video_room_keys as $video_room_key ) {
	delete_transient( substr( $video_room_key, strlen( '_transient_' ) ) );
}
