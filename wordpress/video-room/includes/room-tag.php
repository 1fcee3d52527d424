<?php
/**
 * The <video-room> tag a post shows, from the shortcode's or the block's
 * attributes. Every value is checked against what the element accepts and
 * escaped; nothing per visitor is printed, so the page stays cacheable
 * (tokens come from the REST route, when the element joins).
 */

defined( 'ABSPATH' ) || exit;

/** The room names the element and server accept. */
const VIDEO_ROOM_NAME_PATTERN = '/^[A-Za-z0-9_-]{1,64}$/';

/**
 * @param array $atts room, layout, autojoin (bool), height, lang.
 * @return string HTML.
 */
function video_room_tag( array $atts ) {
	$room = isset( $atts['room'] ) ? trim( (string) $atts['room'] ) : '';
	if ( ! preg_match( VIDEO_ROOM_NAME_PATTERN, $room ) ) {
		return video_room_problem(
			sprintf(
				/* translators: %s: the room name as written */
				__( 'Cannot show the video room: its name "%s" must be 1–64 letters, digits, _ or -.', 'video-room' ),
				$room
			)
		);
	}
	$server = video_room_server_url();
	if ( '' === $server ) {
		return video_room_problem( __( 'Cannot show the video room: set the signaling server under Settings → Video rooms.', 'video-room' ) );
	}

	$attrs = array(
		'room'   => $room,
		'server' => $server,
	);
	$layout = isset( $atts['layout'] ) ? (string) $atts['layout'] : 'auto';
	if ( in_array( $layout, array( 'grid', 'speaker' ), true ) ) {
		$attrs['layout'] = $layout;
	}
	if ( ! empty( $atts['lang'] ) && preg_match( '/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/', (string) $atts['lang'] ) ) {
		$attrs['lang'] = (string) $atts['lang'];
	}
	if ( ! empty( $atts['height'] ) && preg_match( '/^\d{2,4}(px|vh|em|rem)$/', (string) $atts['height'] ) ) {
		$attrs['style'] = '--video-room-height: ' . $atts['height'];
	}
	if ( '' !== video_room_token_secret() ) {
		// Where the element gets its token: for this post's room, as whoever the visitor is
		// (assets/wordpress-tokens.js adds the nonce that tells WordPress who that is).
		$attrs['token-url']         = add_query_arg( 'post', (int) get_the_ID(), rest_url( 'video-room/v1/token' ) );
		$attrs['data-wp-nonce-url'] = admin_url( 'admin-ajax.php?action=rest-nonce' );
	}

	video_room_enqueue();
	$html = '<video-room';
	foreach ( $attrs as $name => $value ) {
		$html .= ' ' . $name . '="' . esc_attr( $value ) . '"';
	}
	if ( ! empty( $atts['autojoin'] ) ) {
		$html .= ' autojoin';
	}
	return $html . '></video-room>';
}

/** What a room that cannot show says: to those who can fix it; others see nothing. */
function video_room_problem( $message ) {
	if ( ! current_user_can( 'edit_posts' ) ) {
		return '';
	}
	return '<p class="video-room-problem" role="alert">' . esc_html( $message ) . '</p>';
}
